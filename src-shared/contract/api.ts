import type { z } from 'zod';
import { appMethods } from './app';
import { bundleMethods } from './bundle';
import { clusterMethods } from './clusters';
import type { MethodDef } from './define';
import { deployMethods } from './deploy';
import { hostKeyMethods } from './host-keys';
import { inventoryMethods } from './inventory';
import { operationMethods } from './operations';
import { pkiMethods } from './pki';
import { promptMethods } from './prompts';
import { terminalMethods } from './terminals';

export * from './app';
export * from './bundle';
export * from './clusters';
export * from './deploy';
export * from './host-keys';
export * from './inventory';
export * from './operations';
export * from './pki';
export * from './prompts';
export * from './terminals';

/**
 * The one API contract: each domain declares its calls in its own file, composed here.
 * Both transports (Electron IPC, browser-mode WebSocket) serve exactly this.
 */
export const apiMethods = {
  ...appMethods,
  ...bundleMethods,
  ...clusterMethods,
  ...deployMethods,
  ...hostKeyMethods,
  ...inventoryMethods,
  ...operationMethods,
  ...pkiMethods,
  ...promptMethods,
  ...terminalMethods,
} as const satisfies Record<string, MethodDef>;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type MethodInput<M extends MethodName> = z.input<ApiMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<ApiMethods[M]['output']>;
export const METHOD_NAMES = Object.keys(apiMethods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, name);
}

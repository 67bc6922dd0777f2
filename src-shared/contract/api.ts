import { z } from 'zod';
import { ClusterSchema } from '../model/cluster';
import { method, type MethodDef } from './define';

export const ClusterNameSchema = ClusterSchema.shape.name;

export const AppInfoSchema = z.object({
  name: z.literal('Kubesmith'),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  /** How secrets and private keys are protected at rest, in words for the user. */
  secretProtection: z.string(),
  secretsEncryptedAtRest: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const ClusterSummarySchema = z.object({
  name: z.string(),
  hostCount: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type ClusterSummary = z.infer<typeof ClusterSummarySchema>;

const noInput = z.object({}).strict();
const byName = z.object({ name: ClusterNameSchema }).strict();

/** The one API contract. Both transports (Electron IPC, browser-mode WebSocket) serve exactly this. */
export const apiMethods = {
  'app.info': method(noInput, AppInfoSchema),
  'clusters.list': method(noInput, z.array(ClusterSummarySchema)),
  'clusters.create': method(byName, ClusterSchema),
  'clusters.get': method(byName, ClusterSchema),
  'clusters.save': method(z.object({ cluster: ClusterSchema }).strict(), ClusterSchema),
  'clusters.remove': method(byName, z.object({ removed: z.literal(true) })),
} as const satisfies Record<string, MethodDef>;

export type ApiMethods = typeof apiMethods;
export type MethodName = keyof ApiMethods;
export type MethodInput<M extends MethodName> = z.input<ApiMethods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<ApiMethods[M]['output']>;
export const METHOD_NAMES = Object.keys(apiMethods) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiMethods, name);
}

import type { SecretCipher } from '../store/secret-cipher';
import type { Workspace } from '../store/workspace';
import type { EventHub } from './event-hub';

/** What every domain's handlers may use. Built once per backend. */
export interface BackendContext {
  readonly version: string;
  readonly mode: 'electron' | 'browser';
  readonly workspace: Workspace;
  readonly cipher: SecretCipher;
  readonly events: EventHub;
  readonly log: (msg: string) => void;
}

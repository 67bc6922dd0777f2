import type { ClusterConnections } from '../connections/cluster-connections';
import type { PromptBroker } from '../prompts/prompt-broker';
import type { SecretCipher } from '../store/secret-cipher';
import type { SecretStore } from '../store/secret-store';
import type { TerminalSessions } from '../terminals/terminal-sessions';
import type { Workspace } from '../store/workspace';
import type { Updates } from '../updates/update-controller';
import type { EventHub } from '../events/event-hub';

/** What every domain's handlers may use. Built once per backend. */
export interface BackendContext {
  readonly version: string;
  readonly mode: 'electron' | 'browser';
  readonly workspace: Workspace;
  readonly cipher: SecretCipher;
  /** Passwords and passphrases by cluster, host and kind: sealed on disk with a keychain, else in memory only. */
  readonly secrets: SecretStore;
  readonly events: EventHub;
  /** Questions for the user from the middle of backend work (host keys, passwords). */
  readonly prompts: PromptBroker;
  /** SSH connections, one pool per cluster. */
  readonly connections: ClusterConnections;
  readonly terminals: TerminalSessions;
  readonly log: (msg: string) => void;
  /** The app's self-update; in browser mode one that says there is none. */
  readonly updates: Updates;
}

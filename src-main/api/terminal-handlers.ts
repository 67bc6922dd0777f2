import type { terminalMethods } from '../../src-shared/contract/terminals';
import type { BackendContext } from './context';
import type { Handlers } from './dispatcher';

export function terminalHandlers({ terminals }: BackendContext): Pick<Handlers, keyof typeof terminalMethods> {
  return {
    'terminal.open': ({ cluster, hostId, cols, rows }) => terminals.open(cluster, hostId, cols, rows),
    'terminal.input': async ({ sessionId, data }) => (terminals.input(sessionId, data), {}),
    'terminal.resize': async ({ sessionId, cols, rows }) => (terminals.resize(sessionId, cols, rows), {}),
    'terminal.ack': async ({ sessionId, bytes }) => (terminals.ack(sessionId, bytes), {}),
    'terminal.close': async ({ sessionId }) => (terminals.close(sessionId), {}),
  };
}

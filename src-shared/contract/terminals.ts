import { z } from 'zod';
import { ClusterNameSchema } from './clusters';
import { method } from './define';

const SessionId = z.string().min(1).max(64);
const Cols = z.number().int().min(2).max(1000);
const Rows = z.number().int().min(1).max(500);

export const TerminalOpenedSchema = z.object({ sessionId: SessionId, hostId: z.string(), title: z.string() });
export type TerminalOpened = z.infer<typeof TerminalOpenedSchema>;

export const terminalMethods = {
  'terminal.open': method(
    z.object({ cluster: ClusterNameSchema, hostId: z.string().min(1), cols: Cols, rows: Rows }).strict(),
    TerminalOpenedSchema,
  ),
  /** Keystrokes and pasted text, UTF-8. */
  'terminal.input': method(z.object({ sessionId: SessionId, data: z.string().max(1024 * 1024) }).strict(), z.object({})),
  'terminal.resize': method(z.object({ sessionId: SessionId, cols: Cols, rows: Rows }).strict(), z.object({})),
  /** Flow control: bytes the renderer has drawn. The host's output pauses while too much is unacknowledged. */
  'terminal.ack': method(z.object({ sessionId: SessionId, bytes: z.number().int().positive() }).strict(), z.object({})),
  'terminal.close': method(z.object({ sessionId: SessionId }).strict(), z.object({})),
};

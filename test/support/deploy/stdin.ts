import type { RemoteExecOptions } from '../../../src-main/deploy/engine/transport';

/** A command's whole stdin, read from a stream when it is one. */
export async function stdinBuffer(stdin: RemoteExecOptions['stdin']): Promise<Buffer> {
  if (stdin === undefined) return Buffer.alloc(0);
  if (stdin instanceof Uint8Array) return Buffer.from(stdin);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

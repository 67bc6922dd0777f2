import { createHash } from 'node:crypto';
import { KubesmithError } from '../../../src-shared/errors';
import type { Host } from '../../../src-shared/model/cluster';
import type { HostTransport, RemoteExecOptions, RemoteResult, TransportProvider } from '../../../src-main/deploy/engine/transport';
import { stdinBuffer } from './stdin';

type Script = (command: string, host: FakeHost) => Partial<RemoteResult> | undefined | Promise<Partial<RemoteResult> | undefined>;

/**
 * A host in memory for engine tests: it understands the engine's own file commands (state check, atomic
 * write, upload) and answers every other command through `script` (exit 0 by default). It records what ran.
 */
export class FakeHost implements HostTransport {
  readonly files = new Map<string, { sha256: string; mode: string }>();
  readonly commands: string[] = [];
  uploadedBytes = 0;

  constructor(
    readonly name: string,
    private readonly script: Script = () => undefined,
  ) {}

  async exec(command: string, options: RemoteExecOptions = {}): Promise<RemoteResult> {
    if (options.signal?.aborted) throw new KubesmithError('CommandCancelled', 'cancelled');
    const state = /^if \[ -f (\S+) \]; then sha256sum/.exec(command);
    if (state) {
      const f = this.files.get(unquote(state[1]!));
      return { code: 0, stdout: f ? `${f.sha256}\n${f.mode}\n` : '', stderr: '' };
    }
    const write = /^set -e\nd=\$\(dirname (\S+)\)[\s\S]*chmod (\d+) "\$t"/.exec(command);
    if (write) {
      const data = await stdinBuffer(options.stdin);
      this.uploadedBytes += data.length;
      this.files.set(unquote(write[1]!), {
        sha256: createHash('sha256').update(data).digest('hex'),
        mode: String(parseInt(write[2]!, 8).toString(8)),
      });
      this.commands.push(`write ${unquote(write[1]!)}`);
      return { code: 0, stdout: '', stderr: '' };
    }
    if (command.includes('echo "ks-check $?"')) {
      // A batch of skipIf checks: each one answered as if run alone.
      const checks = [...command.matchAll(/\( ([\s\S]*?)\n\) <\/dev\/null/g)].map((m) => m[1]!);
      const lines: string[] = [];
      for (const check of checks) {
        this.commands.push(check);
        const answer = await this.script(check, this);
        lines.push(`ks-check ${answer?.code ?? 0}`);
      }
      return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
    }
    this.commands.push(command);
    const answer = await this.script(command, this);
    const result = { code: 0, stdout: '', stderr: '', ...answer };
    if (result.stdout) options.onStdout?.(Buffer.from(result.stdout));
    if (result.stderr) options.onStderr?.(Buffer.from(result.stderr));
    return result;
  }

  async upload(localPath: string, remotePath: string, options: { mode: number }): Promise<{ transferred: number; skipped: boolean }> {
    const sha256 = `sha-of-${localPath}`;
    if (this.files.get(remotePath)?.sha256 === sha256) return { transferred: 0, skipped: true };
    this.files.set(remotePath, { sha256, mode: options.mode.toString(8) });
    this.commands.push(`upload ${remotePath}`);
    this.uploadedBytes += 1000;
    return { transferred: 1000, skipped: false };
  }
}

const unquote = (s: string): string => (s.startsWith("'") ? s.slice(1, -1).replace(/'\\''/g, "'") : s);

export function fakeProvider(hosts: Map<string, FakeHost>): TransportProvider {
  return {
    forHost: (host: Host) => {
      const h = hosts.get(host.id);
      if (!h) throw new Error(`no fake host ${host.id}`);
      return h;
    },
    close: async () => undefined,
  };
}

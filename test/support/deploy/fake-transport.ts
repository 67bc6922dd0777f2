import { createHash } from 'node:crypto';
import { KubesmithError } from '../../../src-shared/errors';
import type { Host } from '../../../src-shared/model/cluster';
import { JOBS_PROBE_HEAD } from '../../../src-main/deploy/engine/job-probe';
import { FILE_STATES_END } from '../../../src-main/deploy/engine/file-step';
import { WROTE } from '../../../src-main/deploy/engine/write-batch';
import { ALREADY_DONE } from '../../../src-main/deploy/engine/check-then-run';
import type { HostTransport, RemoteExecOptions, RemoteResult, TransportProvider } from '../../../src-main/deploy/engine/transport';
import { stdinBuffer } from './stdin';

const CHECK_THEN_RUN = new RegExp(
  `^if \\( ([\\s\\S]*?)\\n\\) </dev/null >/dev/null 2>&1; then echo ${ALREADY_DONE}; exit 0; fi\\n([\\s\\S]*)$`,
);

type Script = (command: string, host: FakeHost) => Partial<RemoteResult> | undefined | Promise<Partial<RemoteResult> | undefined>;

/**
 * A host in memory for engine tests: it understands the engine's own file commands (state check, atomic
 * write, upload) and answers every other command through `script` (exit 0 by default). It records what ran.
 */
export class FakeHost implements HostTransport {
  readonly files = new Map<string, { sha256: string; mode: string }>();
  readonly commands: string[] = [];
  /** Round trips: every exec, whatever it held. */
  execs = 0;
  uploadedBytes = 0;

  constructor(
    readonly name: string,
    private readonly script: Script = () => undefined,
  ) {}

  async exec(command: string, options: RemoteExecOptions = {}): Promise<RemoteResult> {
    if (options.signal?.aborted) throw new KubesmithError('CommandCancelled', 'cancelled');
    this.execs++;
    const both = CHECK_THEN_RUN.exec(command);
    if (both) return this.checkThenRun(both[1]!, both[2]!, options);
    const state = /^if \[ -f (\S+) \]; then (?:\{ if command -v openssl|sha256sum )/.exec(command);
    if (state) {
      const f = this.files.get(unquote(state[1]!));
      return { code: 0, stdout: f ? `${f.sha256}\n${f.mode}\n` : '', stderr: '' };
    }
    if (command.includes(`\necho '${WROTE} 0'`)) return this.writeBatch(command, await stdinBuffer(options.stdin));
    const write = /^set -e\n(?:#[^\n]*\n)*p=(\S+)\n[\s\S]*chmod (\d+) "\$t"/.exec(command);
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
    if (command.startsWith('ks_ok=0\n')) return this.probe(command);
    if (command.startsWith(`${JOBS_PROBE_HEAD}\n`)) return this.probeJobs(command);
    const statesOf = /^stat -c '%s:%i:%\.9Y %a %n' -- (.*) 2>\/dev\/null \| while IFS= read -r l; do$/m.exec(command);
    if (/^\[ -d \S+ \] \|\| mkdir -p \S+ 2>\/dev\/null\n/.test(command) && statesOf) {
      // The engine's batched file states (fileStatesScript): `<sha256> <mode> <path>` or `- - <path>` per file.
      const paths = [...statesOf[1]!.matchAll(/'(?:[^']|'\\'')*'|\S+/g)].map((m) => unquote(m[0]));
      const lines = paths.map((p) => {
        const f = this.files.get(p);
        return f ? `${f.sha256} ${f.mode} ${p}` : `- - ${p}`;
      });
      lines.push(FILE_STATES_END);
      return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
    }
    this.commands.push(command);
    const answer = await this.script(unkept(command), this);
    const result = { code: 0, stdout: '', stderr: '', ...answer };
    if (result.stdout) options.onStdout?.(Buffer.from(result.stdout));
    if (result.stderr) options.onStderr?.(Buffer.from(result.stderr));
    return result;
  }

  /** A check and its run in one round trip (checkThenRun): each answered as if it came alone, the run only if needed. */
  private async checkThenRun(check: string, run: string, options: RemoteExecOptions): Promise<RemoteResult> {
    this.execs--;
    const { signal } = options;
    if ((await this.exec(check, signal ? { signal } : {})).code === 0) {
      options.onStdout?.(Buffer.from(`${ALREADY_DONE}\n`));
      return { code: 0, stdout: `${ALREADY_DONE}\n`, stderr: '' };
    }
    this.execs--;
    return this.exec(run, options);
  }

  /** Several jobs' probes in one (jobsProbeScript): each section as its own probe, guards carried from the ones before. */
  private async probeJobs(command: string): Promise<RemoteResult> {
    const out: string[] = [];
    let allPassed = true;
    for (const m of command.matchAll(/^echo 'ks-job (\d+)'\n([\s\S]*?)\necho 'ks-job-end \1'$/gm)) {
      const answer = await this.probe(m[2]!, allPassed);
      allPassed = answer.allPassed;
      out.push(`ks-job ${m[1]}`, answer.stdout.trimEnd(), `ks-job-end ${m[1]}`);
    }
    return { code: 0, stdout: `${out.join('\n')}\n`, stderr: '' };
  }

  /** The engine's job probe (engine/job-probe.ts): each guard, chooseBy and check answered as if run alone. */
  private async probe(command: string, passedBefore = true): Promise<RemoteResult & { allPassed: boolean }> {
    const lines: string[] = [];
    let allPassed = passedBefore;
    for (const m of command.matchAll(/^\( ([\s\S]*?)\n\) <\/dev\/null >\/dev\/null 2>&1; ks_c=/gm)) {
      this.commands.push(m[1]!);
      const code = (await this.script(m[1]!, this))?.code ?? 0;
      allPassed &&= code === 0;
      lines.push(`ks-check ${code}`);
    }
    const said = async (kind: string, only: string) => {
      const part = kind === 'spec' ? only.slice(only.indexOf('\nif [ $ks_ok = 0 ]; then\n')) : only;
      for (const m of part.matchAll(
        new RegExp(`^ks_o=\\$\\( \\{ ([\\s\\S]*?)\\n\\} </dev/null 2>&1 \\); echo 'ks-${kind} (\\d+)'`, 'gm'),
      )) {
        this.commands.push(m[1]!);
        const answer = await this.script(unkept(m[1]!), this);
        lines.push(`ks-${kind} ${m[2]} ${answer?.code ?? 0}`);
        for (const l of `${answer?.stdout ?? ''}${answer?.stderr ?? ''}`.split('\n')) lines.push(`ks-${kind}-said ${m[2]} ${l}`);
      }
    };
    await said('choose', command);
    if (allPassed && command.includes('\nif [ $ks_ok = 0 ]; then\n')) await said('spec', command);
    return { code: 0, stdout: `${lines.join('\n')}\n`, stderr: '', allPassed };
  }

  /**
   * The engine's write batch (write-batch.ts): each file reads its `head -c N` bytes of stdin into its temp file in
   * order, then is given its mode and renamed to its path, followed by `ks-wrote <i>`.
   */
  private writeBatch(command: string, data: Buffer): RemoteResult {
    const heads = [...command.matchAll(/^\(umask \d+ && exec head -c (\d+) > (\S+)\)$/gm)];
    const modes = new Map([...command.matchAll(/chmod (\d+) (\S+)$/gm)].map(([, mode, temp]) => [temp!, mode!]));
    const renames = new Map(
      [...command.matchAll(/^mv -f (\S+) (\S+)\necho '[^']* (\d+)'$/gm)].map(([, temp, path, i]) => [temp!, { path: path!, i: i! }]),
    );
    const said: string[] = [];
    let at = 0;
    for (const [, size, temp] of heads) {
      const bytes = data.subarray(at, at + Number(size));
      at += Number(size);
      const { path, i } = renames.get(temp!)!;
      this.uploadedBytes += bytes.length;
      this.files.set(unquote(path), {
        sha256: createHash('sha256').update(bytes).digest('hex'),
        mode: String(parseInt(modes.get(temp!)!, 8).toString(8)),
      });
      this.commands.push(`write ${unquote(path)}`);
      said.push(`${WROTE} ${i}`);
    }
    return { code: 0, stdout: `${said.join('\n')}\n`, stderr: '' };
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

/** A chooseBy asked through the host's kept answer (engine/kept-answer.ts) is answered as the command it wraps. */
function unkept(command: string): string {
  const inner = /^ks_id=\$\(stat -L [^\n]*\nif [^\n]*\n[^\n]*\nelse\nks_o=\$\( \{ ([\s\S]*?)\n\} <\/dev\/null 2>&1 \); ks_c=\$\?\n/.exec(
    command,
  );
  return inner ? inner[1]! : command;
}

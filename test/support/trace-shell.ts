import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export interface Traced {
  status: number | null;
  stdout: string;
  stderr: string;
  /** One entry per process the script started: the program it ran (its last execve), or `subshell` for a fork that ran none. */
  started: string[];
}

/**
 * Runs a script in `shell -c` under strace, each process traced to a file of its own (-ff), and says what it
 * started: how a test proves that a host command no longer forks a shell or starts a program for what the shell can
 * do itself (every process costs a small host a few ms of CPU).
 */
export function traceShell(shell: string, script: string, opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Traced {
  const dir = mkdtempSync(join(tmpdir(), 'ks-trace-'));
  try {
    const r = spawnSync('strace', ['-ff', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-o', join(dir, 't'), shell, '-c', script], {
      encoding: 'utf8',
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
    if (r.error) throw r.error;
    const files = readdirSync(dir)
      .map((f) => ({ pid: Number(f.slice(2)), text: readFileSync(join(dir, f), 'utf8') }))
      .sort((a, b) => a.pid - b.pid);
    // The shell itself is the process strace started: the one whose first execve ran the shell asked for.
    const top = files.findIndex((f) => new RegExp(`^execve\\("[^"]*/${basename(shell)}"`).test(f.text));
    const started = files
      .filter((_, i) => i !== top)
      .map((f) => {
        const ran = [...f.text.matchAll(/^execve\("([^"]+)".*\) = 0$/gm)].pop();
        return ran ? basename(ran[1] as string) : 'subshell';
      });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

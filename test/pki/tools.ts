import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** An executable from $envVar if set, else the first one on PATH; undefined when there is none. */
export function findTool(name: string, envVar?: string): string | undefined {
  const fromEnv = envVar ? process.env[envVar] : undefined;
  const candidates = fromEnv ? [fromEnv] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * A describe title that says why the block is skipped and what CI installs to run it; the reason
 * is also printed, since reporters show little of a skipped block.
 */
export function titleFor(title: string, missing: string[], install: string): string {
  if (missing.length === 0) return title;
  const reason = `SKIPPED: ${missing.join(', ')} not found on PATH (${install})`;
  console.warn(`[${title}] ${reason}`);
  return `${title} — ${reason}`;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without throwing; a timeout counts as a failure. */
export function run(
  file: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env ?? process.env, cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

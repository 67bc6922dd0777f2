import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const CRASH_LOG_FILE = 'main.log';

/** Appends an error, with its stack, to the app's log folder. Returns the file it wrote. */
export async function logCrash(logDir: string, kind: string, err: unknown, now = new Date()): Promise<string> {
  await mkdir(logDir, { recursive: true });
  const file = join(logDir, CRASH_LOG_FILE);
  const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  await appendFile(file, `[${now.toISOString()}] ${kind}: ${detail}\n`);
  return file;
}

/** One short line for the dialog; the details are in the log. */
export function crashSummary(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

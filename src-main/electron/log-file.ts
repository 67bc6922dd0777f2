import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CRASH_LOG_FILE } from '../crash-log';

export const LOG_MAX_BYTES = 5 * 1024 * 1024;

export interface LogFile {
  readonly path: string;
  write(level: 'info' | 'warn' | 'error', message: string): void;
}

/**
 * The app's log in the platform's log folder (Electron's app.getPath('logs')), beside the crash records.
 * Synchronous appends, so the last lines before a crash are on disk; past LOG_MAX_BYTES the file moves to
 * main.1.log and a new one starts. Writing never throws: a full disk must not take the app down with it.
 */
export function openLogFile(dir: string, maxBytes = LOG_MAX_BYTES, now = () => new Date()): LogFile {
  const path = join(dir, CRASH_LOG_FILE);
  let ready = false;
  return {
    path,
    write(level, message) {
      try {
        if (!ready) mkdirSync(dir, { recursive: true });
        ready = true;
        let size = 0;
        try {
          size = statSync(path).size;
        } catch {
          // no file yet
        }
        if (size > maxBytes) renameSync(path, join(dir, CRASH_LOG_FILE.replace(/\.log$/, '.1.log')));
        const lines = message.replace(/\r?\n/g, '\n    ');
        appendFileSync(path, `[${now().toISOString()}] ${level}: ${lines}\n`);
      } catch (err) {
        console.error(`Kubesmith could not write its log ${path}: ${(err as Error).message}`);
      }
    },
  };
}

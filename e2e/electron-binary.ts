import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Electron binary is, without require('electron') (which throws when the
 * download was skipped). undefined means it is not installed here.
 */
export function electronBinary(root = process.cwd()): string | undefined {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(exe) ? exe : undefined;
  }
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const exe = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : undefined;
}

export const NO_ELECTRON_REASON =
  'No Electron binary on this machine (ELECTRON_OVERRIDE_DIST_PATH unset, and Electron was never downloaded: `npm start` downloads it, which needs internet). Electron-only tests are skipped; the same UI is tested in browser mode.';

// Where the electron package keeps its binary, and what a failed download of it means for the user.
// Mirrors node_modules/electron/index.js and install.js (Electron 45): path.txt names the executable
// inside dist/, and ELECTRON_OVERRIDE_DIST_PATH replaces dist/ altogether.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function platformExecutable(platform = process.platform) {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return platform === 'win32' ? 'electron.exe' : 'electron';
}

/** { path, exists, overridden }: the binary `npm start` would launch. */
export function electronExecutable(electronPkg, env) {
  const pathFile = join(electronPkg, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, named || platformExecutable());
    return { path, exists: existsSync(path), overridden: true };
  }
  const path = join(electronPkg, 'dist', named || platformExecutable());
  return { path, exists: named !== '' && existsSync(path), overridden: false };
}

/** Where the installer will fetch from, in words (@electron/get reads these variables; see README "Install"). */
export function installerSource(env) {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.npm_package_config_electron_mirror;
  const cache = env.electron_config_cache ? `, cache ${env.electron_config_cache}` : '';
  return mirror ? `from the mirror ${mirror}${cache}` : `from GitHub (set ELECTRON_MIRROR to use a mirror${cache})`;
}

const HINTS = [
  {
    match: /fetch failed|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|certificate/i,
    hint: 'The download site could not be reached. Behind a proxy, set ELECTRON_GET_USE_PROXY=1 and HTTPS_PROXY; otherwise set ELECTRON_MIRROR to a mirror you can reach (README, "Install").',
  },
  {
    match: /HTTPError|Response code \d+|status code \d+|\b404\b/i,
    hint: 'The server has no such file: check ELECTRON_MIRROR and ELECTRON_CUSTOM_DIR (README, "Install").',
  },
  {
    match: /checksum|sha256|did not match/i,
    hint: "The file downloaded did not match Electron's published SHA-256, so it was not installed. Try again or use another mirror.",
  },
  {
    match: /EACCES|EPERM|ENOSPC|EROFS/,
    hint: 'Electron could not be written into node_modules/electron or its cache folder (electron_config_cache): check permissions and free space.',
  },
];

/** The installer's own error line, and what to do about it. */
export function explainInstallFailure(stderr, code, binaryPath) {
  if (code === 0) {
    return {
      reason: `its installer finished but left no binary at ${binaryPath}`,
      hint: 'Delete node_modules/electron and run `npm ci` again.',
    };
  }
  const lines = stderr.split(/\r?\n/).map((l) => l.trim());
  const errorLine = lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines.filter((l) => l && !l.startsWith('at ')).pop();
  const reason = errorLine || `Electron's installer exited with code ${code} and said nothing`;
  const known = HINTS.find((h) => h.match.test(stderr));
  return { reason, hint: known ? known.hint : "Electron's installer output is above." };
}

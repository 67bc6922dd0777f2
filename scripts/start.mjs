// `npm start`: make sure Electron's binary is here (Electron's own installer downloads it the first time),
// build, then open the desktop app. Only a failed download sends the user to `npm run serve`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronExecutable, explainInstallFailure, installerSource } from './electron-install.mjs';

const root = process.cwd();
const electronPkg = join(root, 'node_modules', 'electron');
const say = (line) => console.log(`Kubesmith: ${line}`);

/** Runs a program with the terminal attached; resolves with its exit code and, if asked, its stderr (still shown). */
function run(command, args, { captureStderr = false, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['inherit', 'inherit', captureStderr ? 'pipe' : 'inherit'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderr += chunk;
    });
    child.on('error', (err) => resolve({ code: 1, stderr: `${err.name}: ${err.message}` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stderr }));
  });
}

/** Electron's installer (node_modules/electron/install.js): it honours ELECTRON_MIRROR, electron_config_cache and the rest. */
async function downloadElectron() {
  const version = JSON.parse(readFileSync(join(electronPkg, 'package.json'), 'utf8')).version;
  say(`downloading Electron ${version} (first start only) ${installerSource(process.env)} …`);
  const started = Date.now();
  const heartbeat = setInterval(() => say(`still downloading Electron (${Math.round((Date.now() - started) / 1000)} s) …`), 15_000);
  const result = await run(process.execPath, [join(electronPkg, 'install.js')], { captureStderr: true });
  clearInterval(heartbeat);
  return result;
}

function fail(lines) {
  console.error(lines.map((line) => `Kubesmith: ${line}`).join('\n'));
  process.exit(1);
}

if (!existsSync(join(electronPkg, 'package.json'))) {
  fail(['the electron package is not installed here: run `npm ci` first.']);
}

let binary = electronExecutable(electronPkg, process.env);
if (!binary.exists && !binary.overridden) {
  const install = await downloadElectron();
  binary = electronExecutable(electronPkg, process.env);
  if (install.code !== 0 || !binary.exists) {
    const { reason, hint } = explainInstallFailure(install.stderr, install.code, binary.path);
    fail([
      `Electron could not be downloaded: ${reason}`,
      hint,
      'Without Electron, run `npm run serve` to use Kubesmith in your browser instead.',
    ]);
  }
  say(`Electron is installed at ${binary.path}`);
}
if (!binary.exists) {
  fail([
    `ELECTRON_OVERRIDE_DIST_PATH is set, but it holds no Electron binary at ${binary.path}.`,
    'Point it at an unpacked Electron folder, or unset it to download Electron; `npm run serve` needs neither.',
  ]);
}

say('building …');
const build = await run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
if (build.code !== 0) process.exit(build.code);

// ELECTRON_RUN_AS_NODE left over from a parent tool would start Electron as plain Node instead of the app.
const { ELECTRON_RUN_AS_NODE: _asNode, ...env } = process.env;
const app = await run(binary.path, ['.', ...process.argv.slice(2)], { env });
process.exit(app.code);

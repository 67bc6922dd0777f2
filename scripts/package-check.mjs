// `npm run package:check`: checks the packaging configuration without the internet.
// 1. electron-builder's own schema validation of electron-builder.yml;
// 2. the project's rules (fuses, targets, icons, no native rebuild);
// 3. .github/workflows/release.yml: GitHub's workflow schema and the release rules (scripts/release-workflow.mjs);
// 4. with ELECTRON_DIST set to an unpacked Electron folder, a real `--dir` build.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { releaseWorkflowProblems } from './release-workflow.mjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { DebugLogger } = require('builder-util');

const problems = [];
const config = await getConfig(root, join(root, 'electron-builder.yml'), null);
try {
  await validateConfiguration(config, new DebugLogger(false));
  console.log("package:check: electron-builder.yml passes electron-builder's schema");
} catch (err) {
  problems.push(`schema: ${err.message}`);
}

const REQUIRED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};
for (const [fuse, wanted] of Object.entries(REQUIRED_FUSES)) {
  if (config.electronFuses?.[fuse] !== wanted) problems.push(`fuse ${fuse} must be ${wanted}`);
}
if (config.asar === false) problems.push('asar must stay on (onlyLoadAppFromAsar depends on it)');
if (config.npmRebuild !== false) problems.push("npmRebuild must be false: no dependency needs Electron's ABI");

const targets = (platform) =>
  (config[platform]?.target ?? []).flatMap((t) => (typeof t === 'string' ? [`${t}`] : (t.arch ?? []).map((a) => `${t.target}-${a}`)));
const WANTED_TARGETS = {
  linux: ['AppImage-x64', 'AppImage-arm64', 'deb-x64', 'deb-arm64'],
  win: ['nsis-x64'],
  mac: ['dmg-x64', 'dmg-arm64', 'zip-x64', 'zip-arm64'],
};
for (const [platform, wanted] of Object.entries(WANTED_TARGETS)) {
  for (const t of wanted) if (!targets(platform).includes(t)) problems.push(`${platform} target ${t} is missing`);
}

for (const icon of [
  'resources/icon.png',
  'resources/icon.ico',
  'resources/icon.icns',
  'resources/icons/16x16.png',
  'resources/icons/1024x1024.png',
]) {
  if (!existsSync(join(root, icon))) problems.push(`${icon} is missing (node scripts/make-icons.mjs makes it)`);
}
const png = readFileSync(join(root, 'resources/icon.png'));
if (png.readUInt32BE(16) < 512) problems.push('resources/icon.png must be at least 512 px for macOS');

const main = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main;
const fileFilters = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
if (!fileFilters.includes('out/**')) problems.push('files must include out/** (the built app)');
if (main !== 'out/main/electron.js') problems.push(`package.json main is ${main}, expected out/main/electron.js`);

const workflowProblems = releaseWorkflowProblems(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8'), config);
problems.push(...workflowProblems);

if (problems.length) {
  console.error(`package:check: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(
  'package:check: fuses, targets (AppImage/deb x64+arm64, NSIS x64, dmg+zip x64+arm64), icons, files and the GitHub publish feed are as required',
);
console.log('package:check: .github/workflows/release.yml passes the workflow schema and builds every target on a native runner');

if (process.env.ELECTRON_DIST) {
  console.log(`package:check: building an unpacked app with Electron from ${process.env.ELECTRON_DIST}`);
  const run = spawnSync('npx', ['electron-builder', '--dir', '--linux', `-c.electronDist=${process.env.ELECTRON_DIST}`], {
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
} else {
  console.log(
    "package:check: skipped the --dir build: set ELECTRON_DIST to an unpacked Electron folder to run it (needs Electron's zip, which this machine cannot download)",
  );
}

import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `npm start` in a throwaway project laid out like this one, with stand-ins for the electron package
// (index.js, install.js, package.json as Electron 45 ships them) and for electron-vite. The stand-in installer
// records that it ran and writes a fake Electron: a shell script that records the arguments it was started with.
const START_SCRIPT = join(__dirname, '..', '..', 'scripts', 'start.mjs');

const FAKE_BINARY = `#!/bin/sh
printf '%s\\n' "$@" > "$KS_TEST_DIR/launched.txt"
`;

function installer(outcome: 'ok' | 'fail'): string {
  if (outcome === 'fail') {
    // What Electron's install.js prints when the network is down: err.stack, exit 1.
    return `console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13');
process.exit(1);
`;
  }
  return `const fs = require('fs');
const path = require('path');
fs.appendFileSync(path.join(process.env.KS_TEST_DIR, 'steps.txt'), 'install\\n');
fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), ${JSON.stringify(FAKE_BINARY)}, { mode: 0o755 });
fs.writeFileSync(path.join(__dirname, 'dist', 'version'), require('./package').version);
fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
`;
}

const INDEX = `const fs = require('fs');
const path = require('path');
const pathFile = path.join(__dirname, 'path.txt');
module.exports = path.join(__dirname, 'dist', fs.readFileSync(pathFile, 'utf-8'));
`;

const FAKE_BUILD = `require('fs').appendFileSync(require('path').join(process.env.KS_TEST_DIR, 'steps.txt'), 'build ' + process.argv.slice(2).join(' ') + '\\n');
`;

async function makeProject(dir: string, outcome: 'ok' | 'fail'): Promise<void> {
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'start-standin', version: '0.0.0', private: true, scripts: { start: `node ${JSON.stringify(START_SCRIPT)}` } }),
  );
  const electron = join(dir, 'node_modules', 'electron');
  await mkdir(electron, { recursive: true });
  await writeFile(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }));
  await writeFile(join(electron, 'index.js'), INDEX);
  await writeFile(join(electron, 'install.js'), installer(outcome));
  const vite = join(dir, 'node_modules', 'electron-vite', 'bin');
  await mkdir(vite, { recursive: true });
  await writeFile(join(vite, 'electron-vite.js'), FAKE_BUILD);
}

function npmStart(dir: string, args: string[], env: Record<string, string> = {}) {
  const { ELECTRON_OVERRIDE_DIST_PATH: _override, ELECTRON_RUN_AS_NODE: _asNode, ...inherited } = process.env;
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn('npm', ['start', '--', ...args], { cwd: dir, env: { ...inherited, KS_TEST_DIR: dir, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n');

describe('npm start', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-start-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("downloads Electron through Electron's installer, builds, then launches that binary with the app folder", async () => {
    await makeProject(dir, 'ok');
    const first = await npmStart(dir, ['--inspect-me']);
    expect(first.out).toContain('downloading Electron 45.5.0');
    expect(first.code, first.out).toBe(0);
    expect(await lines(join(dir, 'steps.txt'))).toEqual(['install', 'build build']);
    expect(await lines(join(dir, 'launched.txt'))).toEqual(['.', '--inspect-me']);

    // The second start finds the binary: no download.
    await rm(join(dir, 'launched.txt'));
    const second = await npmStart(dir, []);
    expect(second.code, second.out).toBe(0);
    expect(second.out).not.toContain('downloading');
    expect(await lines(join(dir, 'steps.txt'))).toEqual(['install', 'build build', 'build build']);
    expect(await lines(join(dir, 'launched.txt'))).toEqual(['.']);
  });

  it('launches the binary in ELECTRON_OVERRIDE_DIST_PATH without downloading', async () => {
    await makeProject(dir, 'fail');
    const dist = join(dir, 'my-electron');
    await mkdir(dist);
    await writeFile(join(dist, 'electron'), FAKE_BINARY);
    await chmod(join(dist, 'electron'), 0o755);
    const result = await npmStart(dir, [], { ELECTRON_OVERRIDE_DIST_PATH: dist });
    expect(result.code, result.out).toBe(0);
    expect(result.out).not.toContain('downloading');
    expect(await lines(join(dir, 'launched.txt'))).toEqual(['.']);
  });

  it('says why the download failed and points to npm run serve, without building or launching', async () => {
    await makeProject(dir, 'fail');
    const result = await npmStart(dir, []);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain('Electron could not be downloaded: TypeError: fetch failed');
    expect(result.out).toContain('ELECTRON_MIRROR');
    expect(result.out).toContain('npm run serve');
    await expect(readFile(join(dir, 'steps.txt'), 'utf8')).rejects.toThrow();
    await expect(readFile(join(dir, 'launched.txt'), 'utf8')).rejects.toThrow();
  });
});

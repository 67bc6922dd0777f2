import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_MODULES, CACHE_DIR, PACKAGES, PASSWORDS, SUITE } from './config';
import { progress, run } from './exec';
import { ensureLabKey } from './keys';
import { debianMirror } from './mirror';
import { removeTree, unmountAll } from './mounts';
import { assertLabSupported } from './preflight';

export interface LabImage {
  /** Read-only lower layer shared by every host's overlay. */
  rootfs: string;
  hash: string;
  keyPath: string;
}

const SETUP_SCRIPT = join(__dirname, 'image', 'setup.sh');

function recipeHash(publicKey: string): string {
  const recipe = {
    SUITE,
    PACKAGES,
    BUILTIN_MODULES,
    PASSWORDS,
    kernel: release(),
    publicKey,
    setup: readFileSync(SETUP_SCRIPT, 'utf8'),
  };
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex').slice(0, 12);
}

async function build(target: string, publicKey: string, logPath: string): Promise<void> {
  const mirror = debianMirror(SUITE);
  const log = openSync(logPath, 'w');
  try {
    const stdio: ['ignore', number, number] = ['ignore', log, log];
    const boot = await run('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, target, mirror], { stdio });
    if (boot.code !== 0) throw new Error(`lab: debootstrap from ${mirror} failed (exit ${boot.code}); see ${logPath}`);
    copyFileSync(SETUP_SCRIPT, join(target, 'tmp', 'lab-setup.sh'));
    const env = [
      'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
      `LAB_PUBKEY=${publicKey}`,
      `LAB_KERNEL=${release()}`,
      `LAB_SUDOER_PASSWORD=${PASSWORDS.sudoer}`,
      `LAB_PWUSER_PASSWORD=${PASSWORDS.pwuser}`,
      `LAB_BUILTIN_MODULES=${BUILTIN_MODULES.join(' ')}`,
    ];
    const setup = await run('chroot', [target, '/usr/bin/env', '-i', ...env, '/bin/sh', '/tmp/lab-setup.sh'], { stdio });
    if (setup.code !== 0) throw new Error(`lab: image setup script failed (exit ${setup.code}); see ${logPath}`);
  } finally {
    closeSync(log);
  }
}

/** Old images are deleted once a new one is built, unless a running host still uses one as its lower layer. */
async function pruneOldImages(keep: string): Promise<void> {
  const inUse = readFileSync('/proc/self/mountinfo', 'utf8');
  for (const entry of readdirSync(CACHE_DIR)) {
    if (!entry.startsWith('image-') || entry === keep || entry.endsWith('.log')) continue;
    const dir = join(CACHE_DIR, entry);
    if (inUse.includes(dir)) continue;
    await removeTree(dir);
  }
}

/** Returns the cached host image, building it first (about a minute) when missing or when its recipe changed. */
export async function ensureImage(): Promise<LabImage> {
  assertLabSupported();
  const { privateKeyPath, publicKey } = await ensureLabKey();
  const hash = recipeHash(publicKey);
  const name = `image-${hash}`;
  const dir = join(CACHE_DIR, name);
  const image = { rootfs: join(dir, 'rootfs'), hash, keyPath: privateKeyPath };
  if (existsSync(join(dir, 'ready'))) {
    await pruneOldImages(name);
    return image;
  }

  const tmp = `${dir}.tmp`;
  const logPath = `${dir}.log`;
  await removeTree(tmp);
  mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  progress(`building host image ${hash} (debootstrap ${SUITE}, about a minute; log: ${logPath})`);
  try {
    await build(join(tmp, 'rootfs'), publicKey, logPath);
  } finally {
    // debootstrap leaves /proc and /sys mounted in the target when it fails halfway.
    await unmountAll(tmp);
  }
  writeFileSync(join(tmp, 'ready'), `${new Date().toISOString()}\n`);
  await removeTree(dir);
  renameSync(tmp, dir);
  progress(`image ${hash} built in ${Math.round((Date.now() - started) / 1000)} s`);
  await pruneOldImages(name);
  return image;
}

// `npm run bundle -- --out DIR [--versions 1.36] [--cni calico] [--arch amd64] [--mirror docker.io=URL …]`
// Makes an offline bundle (binaries + every container image the plan would run) from a terminal, with progress
// lines; the same builder as the Offline bundle screen. Interrupted, run it again: it resumes.
import { toApiError } from '../src-shared/errors';
import { buildBundles } from '../src-main/bundle/build';
import { parseBundleArgs } from '../src-main/bundle/cli-args';
import { defaultDataDir } from '../src-main/data-dir';

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function main(): Promise<number> {
  let req;
  try {
    req = parseBundleArgs(process.argv.slice(2), defaultDataDir());
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const started = Date.now();
  try {
    const built = await buildBundles({ ...req, signal: controller.signal }, (p) =>
      console.log(
        `${new Date().toISOString().slice(11, 19)} ${p.stage.padEnd(8)} ${p.done}/${p.total} ${p.message} (${mb(p.bytes)} fetched)`,
      ),
    );
    for (const b of built) console.log(`bundle ${b.folder}: Kubernetes ${b.version} ${b.arch}, ${b.images} images, ${b.files} files`);
    console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    const e = toApiError(err);
    console.error(`bundle failed: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}`);
    return 1;
  }
}

void main().then((code) => process.exit(code));

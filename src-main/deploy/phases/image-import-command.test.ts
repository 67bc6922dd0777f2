import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lastImportProgress, parseImportProgress } from '../../../src-shared/model/image-import';
import { planSteps } from '../../../src-shared/model/plan';
import type { LocalImage } from '../binaries/types';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { RELEASES } from '../versions';

const image = (role: string, ref: string, c: string, size: number): LocalImage => ({
  role,
  ref,
  digest: `sha256:${c.repeat(64)}`,
  localPath: `/b/images/${role}.tar`,
  sha256: c.repeat(64),
  size,
});
const r = RELEASES['1.36']!;
const images = [
  image('pauseImage', r.pauseImage, 'a', 300),
  image('flannelImage', r.flannelImage, 'b', 9000),
  image('flannelCniPluginImage', r.flannelCniPluginImage, 'd', 2000),
  image('verifyImage', r.verifyImage, 'c', 1000),
];
const importRuns = () =>
  planSteps(
    buildPlan({
      cluster: labCluster(1, { cni: 'flannel', addons: { coredns: false, metricsServer: false, headlamp: false } }),
      pki: fakePki(),
      binaries: { ...fakeBinaries(), images },
      templates: fileTemplates(),
      now: new Date(0),
    }),
  )
    .filter((s) => /^runtime\/h1\/image-[A-Za-z]+$/.test(s.id))
    .map((s) => (s.action.kind === 'command' ? s.action.run : ''));

/** The step's real shell script with ctr swapped for a stand-in that says what `mode` makes it say. */
let dir: string;
function runWithCtr(script: string, mode: 'ok' | 'full' | 'broken') {
  const ctr = join(dir, 'ctr');
  writeFileSync(
    ctr,
    `#!/bin/sh
case "$*" in
  *"images import"*) echo "unpacking ref (sha256:1)...";
    [ ${mode} = ok ] && { echo done; exit 0; }
    [ ${mode} = full ] && echo "ctr: failed to ingest: write /var/lib/containerd/ingest/x/data: no space left on device" >&2
    [ ${mode} = broken ] && echo "ctr: archive/tar: invalid tar header" >&2
    exit 1;;
  *"images rm"*) echo "$*" >> ${join(dir, 'removed')};;
esac
exit 0
`,
  );
  chmodSync(ctr, 0o755);
  return spawnSync('sh', ['-c', script.replaceAll('/usr/local/bin/ctr', ctr).replaceAll('/var/lib/containerd', dir)], { encoding: 'utf8' });
}

describe('the image import command', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-import-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each image and the bytes so far, before and after, counted over the host’s whole list', () => {
    const runs = importRuns();
    expect(runs).toHaveLength(4);
    const out = runWithCtr(runs[2]!, 'ok');
    expect(out.status).toBe(0);
    const lines = out.stdout.split('\n').map((line) => ({ line }));
    expect(lines.map((l) => parseImportProgress(l.line)).filter(Boolean)).toEqual([
      { done: 2, total: 4, doneBytes: 9300, totalBytes: 12300, state: 'importing', ref: r.flannelCniPluginImage },
      { done: 3, total: 4, doneBytes: 11300, totalBytes: 12300, state: 'imported', ref: r.flannelCniPluginImage },
    ]);
    expect(lastImportProgress(lines)).toMatchObject({ done: 3, state: 'imported' });
    expect(out.stdout).toContain('unpacking ref');
  });

  it('on a full disk names the host and the filesystem, removes the half-made record and fails', () => {
    const out = runWithCtr(importRuns()[0]!, 'full');
    expect(out.status).toBe(1);
    expect(out.stderr.trim()).toMatch(
      new RegExp(
        `^node1: no space left on containerd's disk \\(/\\S* on \\S+, [\\d.]+ MB free of [\\d.]+ MB\\) while importing ${r.pauseImage.replace(/[.]/g, '\\.')}; nothing of it is kept as imported\\.$`,
      ),
    );
    expect(readFileSync(join(dir, 'removed'), 'utf8')).toContain(`images rm ${r.pauseImage}`);
    expect(lastImportProgress(out.stdout.split('\n').map((line) => ({ line })))).toMatchObject({ done: 0, state: 'importing' });
  });

  it('passes any other failure on with ctr’s own last lines', () => {
    const out = runWithCtr(importRuns()[1]!, 'broken');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('invalid tar header');
    expect(out.stderr).not.toContain('no space left');
  });
});

describe('import progress lines', () => {
  it('refuses lines that are not progress or do not add up', () => {
    expect(parseImportProgress('[images 5/4, 1/2 bytes] imported x')).toBeUndefined();
    expect(parseImportProgress('[images 1/4, 3/2 bytes] imported x')).toBeUndefined();
    expect(parseImportProgress('[images 0/0, 0/0 bytes] imported x')).toBeUndefined();
    expect(parseImportProgress('unpacking docker.io/x (sha256:1)...done')).toBeUndefined();
    expect(lastImportProgress(undefined)).toBeUndefined();
    expect(lastImportProgress([{ line: 'a' }, { line: '[images 1/2, 5/9 bytes] imported a/b:1' }, { line: 'b' }])).toEqual({
      done: 1,
      total: 2,
      doneBytes: 5,
      totalBytes: 9,
      state: 'imported',
      ref: 'a/b:1',
    });
  });
});

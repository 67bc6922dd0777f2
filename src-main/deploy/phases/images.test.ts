import { describe, expect, it } from 'vitest';
import { planSteps, type PlanStep } from '../../../src-shared/model/plan';
import type { LocalImage } from '../binaries/types';
import { buildPlan } from '../plan-builder';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { RELEASES } from '../versions';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const images: LocalImage[] = [
  {
    role: 'pauseImage',
    ref: RELEASES['1.36']!.pauseImage,
    digest: digest('a'),
    localPath: '/b/images/pause.tar',
    sha256: 'a'.repeat(64),
    size: 321_000,
  },
  {
    role: 'flannelImage',
    ref: RELEASES['1.36']!.flannelImage,
    digest: digest('b'),
    localPath: '/b/images/flannel.tar',
    sha256: 'b'.repeat(64),
    size: 9_000_000,
  },
  {
    role: 'flannelCniPluginImage',
    ref: RELEASES['1.36']!.flannelCniPluginImage,
    digest: digest('d'),
    localPath: '/b/images/flannel-cni-plugin.tar',
    sha256: 'd'.repeat(64),
    size: 2_000_000,
  },
  {
    role: 'verifyImage',
    ref: RELEASES['1.36']!.verifyImage,
    digest: digest('c'),
    localPath: '/b/images/busybox.tar',
    sha256: 'c'.repeat(64),
    size: 1_000_000,
  },
];
const plan = (withImages: boolean) =>
  buildPlan({
    cluster: labCluster(3, { cni: 'flannel', addons: { coredns: false, metricsServer: false, headlamp: false } }),
    pki: fakePki(),
    binaries: { ...fakeBinaries(), ...(withImages ? { images } : {}) },
    templates: fileTemplates(),
    now: new Date(0),
  });
const ofHost = (steps: PlanStep[], host: string) => steps.filter((s) => s.id.startsWith(`runtime/${host}/image-`));

describe('images from an offline bundle', () => {
  it('copies and imports every image on every kubelet host in the runtime phase, each import guarded by its digest', () => {
    const steps = planSteps(plan(true));
    for (const host of ['h1', 'h2', 'h3']) {
      const mine = ofHost(steps, host);
      expect(mine.map((s) => s.action.kind)).toEqual(['file', 'command', 'file', 'command', 'file', 'command', 'file', 'command']);
      const pauseImport = mine[1]!;
      expect(pauseImport.title).toContain(digest('a').slice(0, 19));
      if (pauseImport.action.kind !== 'command') throw new Error('not a command');
      expect(pauseImport.action.run).toContain(
        '/usr/local/bin/ctr --address /run/containerd/containerd.sock -n k8s.io images import /var/lib/kubesmith/images/pause.tar 2>&1',
      );
      expect(pauseImport.action.skipIf).toContain(`grep -qF ${digest('a')}`);
      expect(pauseImport.action.skipIf).toContain(`images ls name==${RELEASES['1.36']!.pauseImage} |`);
      // Listed is not enough: a record left by an import cut short (content or unpack missing) is not "present".
      expect(pauseImport.action.skipIf).toContain(`images check -q name==${RELEASES['1.36']!.pauseImage} | grep -qxF`);
    }
    // The imports come after containerd answers, inside the runtime job (before the kubelet's phase).
    const runtime = plan(true)
      .phases.find((p) => p.id === 'runtime')!
      .jobs[0]!.steps.map((s) => s.id.split('/')[2]);
    expect(runtime.indexOf('image-pauseImage')).toBeGreaterThan(runtime.indexOf('ready'));
  });

  it('pins add-on and verify images to the bundle digests; without a bundle they stay tags and nothing is imported', () => {
    const withBundle = planSteps(plan(true));
    const flannel = withBundle.find((s) => s.id.endsWith('/flannel-manifest'))!;
    expect(flannel.action.kind === 'file' && flannel.action.text).toContain(`${RELEASES['1.36']!.flannelImage}@${digest('b')}`);
    const verify = withBundle.find((s) => s.id.startsWith('verify/') && s.action.kind === 'command' && s.action.run.includes('--image='))!;
    expect(verify.action.kind === 'command' && verify.action.run).toContain(`--image=${RELEASES['1.36']!.verifyImage}@${digest('c')}`);

    const plain = planSteps(plan(false));
    expect(ofHost(plain, 'h1')).toEqual([]);
    const plainFlannel = plain.find((s) => s.id.endsWith('/flannel-manifest'))!;
    expect(plainFlannel.action.kind === 'file' && plainFlannel.action.text).not.toContain('@sha256:');
  });

  it('refuses a bundle made for other choices, naming the missing images', () => {
    const build = () =>
      buildPlan({
        cluster: labCluster(3, { cni: 'calico' }),
        pki: fakePki(),
        binaries: { ...fakeBinaries(), images },
        templates: fileTemplates(),
        now: new Date(0),
      });
    expect(build).toThrow(RELEASES['1.36']!.calicoNodeImage);
  });
});

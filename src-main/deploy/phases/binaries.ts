import type { Host } from '../../../src-shared/model/cluster';
import type { PlanJob, PlanStep } from '../../../src-shared/model/plan';
import { KubesmithError } from '../../../src-shared/errors';
import type { Component } from '../binaries/types';
import type { PlanContext } from '../context';
import { BIN_DIR, CNI_BIN_DIR } from '../layout';
import { binaryStep } from '../steps';

/** Which binaries a host gets, by its roles. */
export function binariesFor(ctx: PlanContext, host: Host): Array<{ component: Component; name: string }> {
  const want: Array<{ component: Component; name: string }> = [];
  const add = (component: Component, names: string[]) => want.push(...names.map((name) => ({ component, name })));
  if (ctx.etcdHosts.includes(host)) add('etcd', ['etcd', 'etcdctl']);
  if (ctx.masters.includes(host)) add('kubernetes', ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl']);
  if (ctx.kubeletHosts.includes(host)) {
    add('containerd', ['containerd', 'containerd-shim-runc-v2', 'ctr']);
    add('runc', ['runc']);
    add('cni', ['bridge', 'host-local', 'loopback', 'portmap']);
    add('kubernetes', ['kubelet', 'kube-proxy']);
  }
  return want;
}

export const remoteBinaryPath = (component: Component, name: string): string =>
  component === 'cni' ? `${CNI_BIN_DIR}/${name}` : `${BIN_DIR}/${name}`;

export function binarySteps(ctx: PlanContext, host: Host): PlanStep[] {
  return binariesFor(ctx, host).map(({ component, name }) => {
    const file = ctx.binaries.files.find((f) => f.component === component && f.name === name);
    if (!file) {
      throw new KubesmithError(
        'BinaryMissing',
        `The binary source has no ${name} (${component}).`,
        'Check the offline bundle folder, or pick the official source or a mirror.',
        { component, name },
      );
    }
    const path = remoteBinaryPath(component, name);
    return binaryStep(ctx.stepId('binaries', host, name), `Install ${path}`, {
      path,
      localPath: file.localPath,
      sha256: file.sha256,
      size: file.size,
    });
  });
}

/**
 * The binary steps of these programs on the host, for a unit's inputs: a new binary restarts the unit that runs
 * it (an upgrade), and an unchanged one leaves it alone.
 */
export function programSteps(ctx: PlanContext, host: Host, names: readonly string[]): PlanStep[] {
  return binarySteps(ctx, host).filter((s) => names.some((n) => s.id === ctx.stepId('binaries', host, n)));
}

export function binaryJobs(ctx: PlanContext): PlanJob[] {
  return ctx.hosts.map((host) => ({ phase: 'binaries', hostId: host.id, hostName: host.name, steps: binarySteps(ctx, host), needs: [] }));
}

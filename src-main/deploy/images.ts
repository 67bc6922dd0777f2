import type { ClusterSettings } from '../../src-shared/model/cluster';
import type { ReleaseSet } from './versions';

/** The fields of a release that name container images. */
export type ImageRole = {
  [K in keyof ReleaseSet]: K extends `${string}Image` ? K : never;
}[keyof ReleaseSet];

const CNI_IMAGES: Record<ClusterSettings['cni'], ImageRole[]> = {
  calico: ['calicoNodeImage', 'calicoCniImage', 'calicoKubeControllersImage'],
  flannel: ['flannelImage', 'flannelCniPluginImage'],
  cilium: ['ciliumImage', 'ciliumOperatorImage'],
};

export interface ImageChoice {
  cni: ReadonlyArray<ClusterSettings['cni']>;
  addons: ClusterSettings['addons'];
}

/**
 * Every image a cluster with these choices runs: the pause image of every pod sandbox, the pod network's, the
 * add-ons', and the verify phase's test pod. The bundle builder fetches exactly these; the plan imports them.
 */
export function imagesFor(release: ReleaseSet, choice: ImageChoice): Array<{ role: ImageRole; ref: string }> {
  const roles: ImageRole[] = ['pauseImage'];
  for (const cni of choice.cni) roles.push(...CNI_IMAGES[cni]);
  if (choice.addons.coredns) roles.push('corednsImage');
  if (choice.addons.metricsServer) roles.push('metricsServerImage');
  if (choice.addons.headlamp) roles.push('headlampImage');
  roles.push('verifyImage');
  return roles.map((role) => ({ role, ref: release[role] }));
}

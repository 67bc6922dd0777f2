import type { Plan } from '../../../src-shared/model/plan';
import type { PlanInputs } from '../../deploy/context';
import type { ClusterPki } from '../../deploy/pki-source';
import { rollingCertificatePlan } from './renew';

/**
 * CA rotation in three runs, so the cluster serves throughout: every host first trusts both CAs, then gets
 * certificates from the new ones, then stops trusting the old ones.
 */
export const CA_ROTATION_STAGES = ['trust-both', 'reissue', 'finish'] as const;
export type CaRotationStage = (typeof CA_ROTATION_STAGES)[number];

const bundle = (a: string, b: string): string => `${a.trim()}\n${b.trim()}\n`;

/**
 * What a stage installs. CA files hold both CAs until the last stage; leaves (and the key controller-manager signs
 * with) come from the new PKI from `reissue` on. The service-account key pair never changes: tokens stay valid.
 */
export function rotationPki(current: ClusterPki, next: ClusterPki, stage: CaRotationStage): ClusterPki {
  const leaves = stage === 'trust-both' ? current : next;
  // The CA that signs comes first: controller-manager signs with the first certificate of ca.crt and ca.key, which
  // must match (the old pair while the old leaves are in use, the new pair from `reissue` on).
  const [first, second] = stage === 'trust-both' ? [current, next] : [next, current];
  const ca =
    stage === 'finish'
      ? next.ca
      : {
          kubernetes: bundle(first.ca.kubernetes, second.ca.kubernetes),
          etcd: bundle(first.ca.etcd, second.ca.etcd),
          frontProxy: bundle(first.ca.frontProxy, second.ca.frontProxy),
        };
  return { ...leaves, ca, serviceAccount: current.serviceAccount };
}

const STAGE_TEXT: Record<CaRotationStage, string> = {
  'trust-both': 'Step 1 of 3: every host trusts the old and the new CAs (certificates stay as they are).',
  reissue: 'Step 2 of 3: every certificate and kubeconfig is replaced by one from the new CAs (both CAs still trusted).',
  finish: "Step 3 of 3: the old CAs are no longer trusted anywhere; the new PKI becomes the cluster's.",
};

export function caRotationPlan(inputs: PlanInputs, stage: CaRotationStage): Plan {
  return rollingCertificatePlan(inputs, 'rotate-ca', [
    STAGE_TEXT[stage],
    'Hosts go one at a time; the first failure stops the run with the cluster serving, and the same step can be resumed.',
  ]);
}

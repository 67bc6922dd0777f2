import { blockAffinitySpec, ipamBlockSpec, ipamConfigSpec, ipamHandleSpec, ipPoolSpec, ipReservationSpec } from './calico-ipam';
import {
  calicoNodeStatusSpec,
  calicoNodeStatusStatus,
  clusterInformationSpec,
  hostEndpointSpec,
  kubeControllersSpec,
  kubeControllersStatus,
  networkSetSpec,
  tierSpec,
} from './calico-cluster';
import { bgpConfigurationSpec, bgpFilterSpec, bgpPeerSpec } from './calico-bgp';
import { felixConfigurationSpec } from './calico-felix';
import { stagedKubernetesNetworkPolicySpec, stagedKubernetesNetworkPolicyStatus } from './calico-k8s-policy';
import {
  globalNetworkPolicySpec,
  networkPolicySpec,
  policyStatus,
  stagedGlobalNetworkPolicySpec,
  stagedNetworkPolicySpec,
} from './calico-policy';
import type { JSONSchemaProps } from './schema';
import { clusterNetworkPolicySpec, clusterNetworkPolicyStatus } from './sig-network-policy';

/** One CustomResourceDefinition of the calico manifest: a closed schema, or an open one with the reason. */
export interface CrdDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  scope: 'Cluster' | 'Namespaced';
  statusSubresource?: boolean;
  schema: { spec: JSONSchemaProps; status?: JSONSchemaProps } | { open: string };
}

const calico = (kind: string, plural: string, scope: CrdDefinition['scope'], schema: CrdDefinition['schema']): CrdDefinition => ({
  group: 'crd.projectcalico.org',
  version: 'v1',
  kind,
  plural,
  scope,
  schema,
});

/**
 * Every CRD calico.yaml ships, in the manifest's order (alphabetical by plural, the sig CRD last). All are closed.
 * What stays open, and why: the `status` of the five calico policy kinds (`policyStatus` in calico-policy.ts) —
 * calico writes a PolicyStatus there whose definition is in no stored copy (the newest stored generated NetworkPolicy
 * CRD, api/config/crd/projectcalico.org_networkpolicies.yaml at 0336f06d, has no status at all), so it is kept as
 * written rather than guessed; users never write it.
 */
export const CALICO_CRDS: CrdDefinition[] = [
  calico('BGPConfiguration', 'bgpconfigurations', 'Cluster', { spec: bgpConfigurationSpec }),
  calico('BGPFilter', 'bgpfilters', 'Cluster', { spec: bgpFilterSpec }),
  calico('BGPPeer', 'bgppeers', 'Cluster', { spec: bgpPeerSpec }),
  calico('BlockAffinity', 'blockaffinities', 'Cluster', { spec: blockAffinitySpec }),
  calico('CalicoNodeStatus', 'caliconodestatuses', 'Cluster', { spec: calicoNodeStatusSpec, status: calicoNodeStatusStatus }),
  calico('ClusterInformation', 'clusterinformations', 'Cluster', { spec: clusterInformationSpec }),
  calico('FelixConfiguration', 'felixconfigurations', 'Cluster', { spec: felixConfigurationSpec }),
  calico('GlobalNetworkPolicy', 'globalnetworkpolicies', 'Cluster', { spec: globalNetworkPolicySpec, status: policyStatus }),
  calico('GlobalNetworkSet', 'globalnetworksets', 'Cluster', { spec: networkSetSpec }),
  calico('HostEndpoint', 'hostendpoints', 'Cluster', { spec: hostEndpointSpec }),
  calico('IPAMBlock', 'ipamblocks', 'Cluster', { spec: ipamBlockSpec }),
  calico('IPAMConfig', 'ipamconfigs', 'Cluster', { spec: ipamConfigSpec }),
  calico('IPAMHandle', 'ipamhandles', 'Cluster', { spec: ipamHandleSpec }),
  calico('IPPool', 'ippools', 'Cluster', { spec: ipPoolSpec }),
  calico('IPReservation', 'ipreservations', 'Cluster', { spec: ipReservationSpec }),
  calico('KubeControllersConfiguration', 'kubecontrollersconfigurations', 'Cluster', {
    spec: kubeControllersSpec,
    status: kubeControllersStatus,
  }),
  calico('NetworkPolicy', 'networkpolicies', 'Namespaced', { spec: networkPolicySpec, status: policyStatus }),
  calico('NetworkSet', 'networksets', 'Namespaced', { spec: networkSetSpec }),
  calico('StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies', 'Cluster', {
    spec: stagedGlobalNetworkPolicySpec,
    status: policyStatus,
  }),
  calico('StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies', 'Namespaced', {
    spec: stagedKubernetesNetworkPolicySpec,
    status: stagedKubernetesNetworkPolicyStatus,
  }),
  calico('StagedNetworkPolicy', 'stagednetworkpolicies', 'Namespaced', { spec: stagedNetworkPolicySpec, status: policyStatus }),
  calico('Tier', 'tiers', 'Cluster', { spec: tierSpec }),
  // calico 3.32 enforces ClusterNetworkPolicy and no longer AdminNetworkPolicy/BaselineAdminNetworkPolicy (sig-network-policy.ts)
  {
    group: 'policy.networking.k8s.io',
    version: 'v1alpha2',
    kind: 'ClusterNetworkPolicy',
    plural: 'clusternetworkpolicies',
    scope: 'Cluster',
    statusSubresource: true,
    schema: { spec: clusterNetworkPolicySpec, status: clusterNetworkPolicyStatus },
  },
];

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
import type { JSONSchemaProps } from './schema';

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

const FELIX =
  'FelixConfiguration has ~150 fields that change with most calico releases; the stored copies of ' +
  'api/pkg/apis/projectcalico/v3/felixconfig.go are older than v3.32.1 and cannot be dated, so a schema from them ' +
  'could prune settings calico-node writes or reads.';
const BGP =
  'the stored copy of its Go type (api/pkg/apis/projectcalico/v3/bgpconfig.go, bgppeer.go, bgpfilter.go) could not be ' +
  'matched to v3.32.1; a schema missing a newer field would prune it.';
const POLICY =
  "calico's policy rules (api/pkg/apis/projectcalico/v3/policy_common.go: Rule, EntityRule, ICMP, HTTP matches) " +
  'were not written out this time.';
const K8S_POLICY =
  "its spec is networking.k8s.io/v1's NetworkPolicySpec (stagedkubernetesnetworkpolicy.go), which would have to be " +
  "restated from Kubernetes' OpenAPI document.";
const SIG_POLICY = "a kubernetes-sigs/network-policy-api CRD (v1alpha1), not calico's own type; its schema belongs to that project.";

/** Every CRD calico.yaml ships, in the manifest's order (alphabetical by plural, the two sig CRDs last). */
export const CALICO_CRDS: CrdDefinition[] = [
  calico('BGPConfiguration', 'bgpconfigurations', 'Cluster', { open: BGP }),
  calico('BGPFilter', 'bgpfilters', 'Cluster', { open: BGP }),
  calico('BGPPeer', 'bgppeers', 'Cluster', { open: BGP }),
  calico('BlockAffinity', 'blockaffinities', 'Cluster', { spec: blockAffinitySpec }),
  calico('CalicoNodeStatus', 'caliconodestatuses', 'Cluster', { spec: calicoNodeStatusSpec, status: calicoNodeStatusStatus }),
  calico('ClusterInformation', 'clusterinformations', 'Cluster', { spec: clusterInformationSpec }),
  calico('FelixConfiguration', 'felixconfigurations', 'Cluster', { open: FELIX }),
  calico('GlobalNetworkPolicy', 'globalnetworkpolicies', 'Cluster', { open: POLICY }),
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
  calico('NetworkPolicy', 'networkpolicies', 'Namespaced', { open: POLICY }),
  calico('NetworkSet', 'networksets', 'Namespaced', { spec: networkSetSpec }),
  calico('StagedGlobalNetworkPolicy', 'stagedglobalnetworkpolicies', 'Cluster', { open: POLICY }),
  calico('StagedKubernetesNetworkPolicy', 'stagedkubernetesnetworkpolicies', 'Namespaced', { open: K8S_POLICY }),
  calico('StagedNetworkPolicy', 'stagednetworkpolicies', 'Namespaced', { open: POLICY }),
  calico('Tier', 'tiers', 'Cluster', { spec: tierSpec }),
  {
    group: 'policy.networking.k8s.io',
    version: 'v1alpha1',
    kind: 'AdminNetworkPolicy',
    plural: 'adminnetworkpolicies',
    scope: 'Cluster',
    statusSubresource: true,
    schema: { open: SIG_POLICY },
  },
  {
    group: 'policy.networking.k8s.io',
    version: 'v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    plural: 'baselineadminnetworkpolicies',
    scope: 'Cluster',
    statusSubresource: true,
    schema: { open: SIG_POLICY },
  },
];

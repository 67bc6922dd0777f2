import { arr, int, intOrString, map, obj, oneOf, str, type JSONSchemaProps } from './schema';
import { policyStatus, stagedAction } from './calico-policy';

/*
 * StagedKubernetesNetworkPolicy (projectcalico/calico api/pkg/apis/projectcalico/v3/stagedkubernetesnetworkpolicy.go,
 * 2026 copy at 1a41974a): a stagedAction beside the fields of networking.k8s.io/v1 NetworkPolicySpec (podSelector,
 * ingress, egress, policyTypes). Those are restated from the Kubernetes API reference
 * (https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/: NetworkPolicySpec,
 * NetworkPolicyIngressRule/EgressRule, NetworkPolicyPeer, IPBlock, NetworkPolicyPort; LabelSelector from
 * https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/label-selector/). calico-crds.test.ts
 * checks every field of the kubernetes-models types generated from Kubernetes' OpenAPI document is here.
 */

const labelSelector = obj({
  matchLabels: map(str()),
  matchExpressions: arr(obj({ key: str(), operator: str(), values: arr(str()) }, ['key', 'operator'])),
});

const peer = obj({
  podSelector: labelSelector,
  namespaceSelector: labelSelector,
  ipBlock: obj({ cidr: str(), except: arr(str()) }, ['cidr']),
});

const networkPolicyPort = obj({ protocol: str(), port: intOrString(), endPort: int({ format: 'int32' }) });

export const stagedKubernetesNetworkPolicySpec: JSONSchemaProps = obj({
  stagedAction,
  podSelector: labelSelector,
  ingress: arr(obj({ from: arr(peer), ports: arr(networkPolicyPort) })),
  egress: arr(obj({ to: arr(peer), ports: arr(networkPolicyPort) })),
  policyTypes: arr(oneOf('Ingress', 'Egress'), { minItems: 1, maxItems: 2 }),
});

export const stagedKubernetesNetworkPolicyStatus = policyStatus;

import { arr, int, map, obj, oneOf, str, time, type JSONSchemaProps } from './schema';

/*
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), the
 * kubernetes-sigs/network-policy-api types calico implements. calico ships them as that project publishes them: the
 * stored copies of projectcalico/calico libcalico-go/config/crd/policy.networking.k8s.io_adminnetworkpolicies.yaml
 * (25660dec) and _baselineadminnetworkpolicies.yaml (0311b8cb) carry the bundle-version v0.1.1, experimental channel.
 * These schemas hold the fields of that release as those copies state them (names, types, required fields, and the
 * bounds and enums of its kubebuilder markers). The stored Go files of network-policy-api itself (apis/v1alpha1
 * adminnetworkpolicy_types.go and shared_types.go at 0b04ed7e, baselineadminnetworkpolicy_types.go at 0164b8b7)
 * are of other releases: the 2022 ones (`namespaceSelector`/`namespaceAndPodSelector` subjects, a `ports.allPorts`
 * object) predate v0.1.0 and were never in a calico manifest, so their fields are not kept; the BANP one agrees with
 * the v0.1.1 copies. Later network-policy-api work adds `domainNames` egress peers and moves to the v1alpha2
 * ClusterNetworkPolicy (a different CRD, policy.networking.k8s.io_clusternetworkpolicies.yaml in calico's tree);
 * calico's stored copies of these two CRDs have no `domainNames`.
 * "Exactly one of" peers, subjects and ports are the MinProperties/MaxProperties=1 markers; CEL rules are left out.
 */

const labelSelector = obj({
  matchLabels: map(str()),
  matchExpressions: arr(obj({ key: str(), operator: str(), values: arr(str()) }, ['key', 'operator'])),
});

const exactlyOne = (properties: Record<string, JSONSchemaProps>): JSONSchemaProps => ({
  ...obj(properties),
  minProperties: 1,
  maxProperties: 1,
});

/** shared_types.go (NamespacedPod: both selectors required). */
const namespacedPod = obj({ namespaceSelector: labelSelector, podSelector: labelSelector }, ['namespaceSelector', 'podSelector']);

/** shared_types.go (AdminNetworkPolicySubject). */
const subject = exactlyOne({ namespaces: labelSelector, pods: namespacedPod });

/** `+kubebuilder:default=TCP`: the API server fills it in before checking that it is there. */
const tcpByDefault = () => str({ default: 'TCP' });
const portNumber = () => int({ format: 'int32', minimum: 1, maximum: 65535 });
/** shared_types.go (AdminNetworkPolicyPort: a named port, a port with its protocol, or a range). */
const port = exactlyOne({
  namedPort: str(),
  portNumber: obj({ protocol: tcpByDefault(), port: portNumber() }, ['port', 'protocol']),
  portRange: obj({ protocol: tcpByDefault(), start: portNumber(), end: portNumber() }, ['start', 'end']),
});
const ports = arr(port, { maxItems: 100 });

/** shared_types.go (AdminNetworkPolicyIngressPeer: namespaces or pods). */
const ingressPeer = exactlyOne({ namespaces: labelSelector, pods: namespacedPod });
/** shared_types.go (AdminNetworkPolicyEgressPeer: also nodes and networks, up to 25 CIDRs of at most 43 characters). */
const egressPeer = exactlyOne({
  namespaces: labelSelector,
  pods: namespacedPod,
  nodes: labelSelector,
  networks: arr(str({ maxLength: 43 }), { minItems: 1, maxItems: 25 }),
});

const rules = (action: JSONSchemaProps) => ({
  ingress: arr(
    obj({ name: str({ maxLength: 100 }), action, from: arr(ingressPeer, { minItems: 1, maxItems: 100 }), ports }, ['action', 'from']),
    { maxItems: 100 },
  ),
  egress: arr(
    obj({ name: str({ maxLength: 100 }), action, to: arr(egressPeer, { minItems: 1, maxItems: 100 }), ports }, ['action', 'to']),
    { maxItems: 100 },
  ),
});

/** adminnetworkpolicy_types.go (AdminNetworkPolicySpec: priority 0-1000, actions Allow/Deny/Pass). */
export const adminNetworkPolicySpec: JSONSchemaProps = obj(
  { priority: int({ format: 'int32', minimum: 0, maximum: 1000 }), subject, ...rules(oneOf('Allow', 'Deny', 'Pass')) },
  ['priority', 'subject'],
);

/** baselineadminnetworkpolicy_types.go (BaselineAdminNetworkPolicySpec: no priority, actions Allow/Deny). */
export const baselineAdminNetworkPolicySpec: JSONSchemaProps = obj({ subject, ...rules(oneOf('Allow', 'Deny')) }, ['subject']);

/** metav1.Condition (k8s.io/apimachinery) as the v0.1.1 copies carry it: five required fields, status True/False/Unknown. */
const condition = obj(
  {
    type: str({ maxLength: 316 }),
    status: oneOf('True', 'False', 'Unknown'),
    observedGeneration: int({ format: 'int64', minimum: 0 }),
    lastTransitionTime: time(),
    reason: str({ maxLength: 1024 }),
    message: str({ maxLength: 32768 }),
  },
  ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
);

/** shared_types.go (AdminNetworkPolicyStatus: the implementation's conditions), written through /status. */
export const adminNetworkPolicyStatus: JSONSchemaProps = obj({ conditions: arr(condition) }, ['conditions']);

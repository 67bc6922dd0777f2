import { arr, int, map, obj, oneOf, str, time, type JSONSchemaProps } from './schema';

/*
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), the kubernetes-sigs/network-policy-api type calico 3.32
 * implements in place of AdminNetworkPolicy/BaselineAdminNetworkPolicy: its release notes
 * (tigera/docs calico_versioned_docs/version-3.32/release-notes/index.mdx) say "Removing AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy API support in favor of ClusterNetworkPolicy ... Calico v3.32 and newer won't enforce
 * them" (calico#11144) and add ClusterNetworkPolicy with its networks peers and named ports (calico#10810, #12227).
 * Fields, required fields and the bounds/enums of its markers as calico's stored copy states them
 * (projectcalico/calico libcalico-go/config/crd/policy.networking.k8s.io_clusternetworkpolicies.yaml at 20e0347d,
 * bundle-version v0.1.7, standard channel; the only readable one of its 9 stored versions). That bundle has no
 * `nodes` or `domainNames` peers; a later bundle calico ships with them would need them added here.
 * "Exactly one of" peers, subjects, protocols and ports are the MinProperties/MaxProperties=1 markers; CEL rules
 * (start < end, isCIDR) are left out.
 */

const labelSelector = obj({
  matchLabels: map(str()),
  matchExpressions: arr(obj({ key: str(), operator: str(), values: arr(str()) }, ['key', 'operator'])),
});

const exactlyOne = (properties: Record<string, JSONSchemaProps>, extra: Partial<JSONSchemaProps> = {}): JSONSchemaProps => ({
  ...obj(properties),
  minProperties: 1,
  maxProperties: 1,
  ...extra,
});

/** NamespacedPod: a pod selector (required) within the namespaces a namespace selector picks. */
const namespacedPod = obj({ namespaceSelector: labelSelector, podSelector: labelSelector }, ['podSelector']);
const subject = exactlyOne({ namespaces: labelSelector, pods: namespacedPod });

const portNumber = () => int({ format: 'int32', minimum: 1, maximum: 65535 });
/** A destination port: one number, or a start-end range. */
const destinationPort = exactlyOne({ number: portNumber(), range: obj({ start: portNumber(), end: portNumber() }, ['start', 'end']) });
const protocolMatch = () => ({ ...obj({ destinationPort }), minProperties: 1 });
/** ClusterNetworkPolicyProtocol: tcp, udp, sctp or a named destination port, exactly one. */
const protocols = arr(exactlyOne({ tcp: protocolMatch(), udp: protocolMatch(), sctp: protocolMatch(), destinationNamedPort: str() }), {
  minItems: 1,
  maxItems: 25,
});

const ingressPeer = exactlyOne({ namespaces: labelSelector, pods: namespacedPod });
/** Egress peers add networks: 1 to 25 CIDRs of at most 43 characters. */
const egressPeer = exactlyOne({
  namespaces: labelSelector,
  pods: namespacedPod,
  networks: arr(str({ maxLength: 43 }), { minItems: 1, maxItems: 25 }),
});

const action = oneOf('Accept', 'Deny', 'Pass');
const peers = (peer: JSONSchemaProps) => arr(peer, { minItems: 1, maxItems: 25 });
const rules = (rule: JSONSchemaProps) => arr(rule, { maxItems: 25 });

export const clusterNetworkPolicySpec: JSONSchemaProps = obj(
  {
    tier: oneOf('Admin', 'Baseline'),
    priority: int({ format: 'int32', minimum: 0, maximum: 1000 }),
    subject,
    ingress: rules(obj({ name: str({ maxLength: 100 }), action, from: peers(ingressPeer), protocols }, ['action', 'from'])),
    egress: rules(obj({ name: str({ maxLength: 100 }), action, to: peers(egressPeer), protocols }, ['action', 'to'])),
  },
  ['tier', 'priority', 'subject'],
);

/** metav1.Condition (k8s.io/apimachinery) as the stored copy carries it: five required fields, status True/False/Unknown. */
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

/** The implementation's conditions, written through the /status subresource. */
export const clusterNetworkPolicyStatus: JSONSchemaProps = obj({ conditions: arr(condition) }, ['conditions']);

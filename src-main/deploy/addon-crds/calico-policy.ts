import { arr, bool, int, intOrString, map, num, obj, oneOf, str, type JSONSchemaProps } from './schema';

/*
 * calico's policy resources. Field names and types from the json tags of calico's Go types; enums and bounds where a
 * kubebuilder marker states them. Stored copies read (projectcalico/calico, api/pkg/apis/projectcalico/v3/):
 * policy_common.go at 69e22efe (2017-2025, no markers), 0336f06d (2017-2026, markers added) and a 2017-2021 copy
 * (the same fields as 69e22efe); networkpolicy.go at a686bfad (2017-2021, no tier) and 1a41974a (2017-2026, status);
 * globalnetworkpolicy.go at 1e499a01 and 0336f06d; stagednetworkpolicy.go at 0162f273; stagedglobalnetworkpolicy.go
 * at 0336f06d. The schemas hold the union of the fields of those copies: a field only one copy has would otherwise be
 * pruned from objects written with it. (libcalico-go's pre-v3 `apiv2`/`v1` rule types had `tag`/`net`; calico v3
 * dropped them, and no v3 copy has them.)
 */

const selector = () => str({ maxLength: 1024 });

/** policy_common.go (ICMPFields; bounds from its Minimum/Maximum markers and validate tags). */
const icmpFields = obj({ type: int({ minimum: 0, maximum: 254 }), code: int({ minimum: 0, maximum: 255 }) });

/** policy_common.go (HTTPMatch, HTTPPath; MaxItems/MaxLength markers of the 2026 copy). */
const httpMatch = obj({
  methods: arr(str(), { maxItems: 20 }),
  paths: arr(obj({ exact: str({ maxLength: 1024 }), prefix: str({ maxLength: 1024 }) }), { maxItems: 20 }),
});

/** policy_common.go (EntityRule, ServiceMatch, ServiceAccountMatch). Ports are numorstring.Port: 80, "80:90", "http". */
const entityRule = obj({
  nets: arr(str(), { maxItems: 256 }),
  selector: selector(),
  namespaceSelector: selector(),
  services: obj({ name: str({ maxLength: 253 }), namespace: str({ maxLength: 253 }) }),
  ports: arr(intOrString(), { maxItems: 50 }),
  notNets: arr(str(), { maxItems: 256 }),
  notSelector: selector(),
  notPorts: arr(intOrString(), { maxItems: 50 }),
  serviceAccounts: obj({ names: arr(str()), selector: str() }),
});

/**
 * policy_common.go (Rule; Action's enum marker, IPVersion's `Enum=4;6`). `action` has no omitempty, so every rule
 * carries it. Protocols are numorstring.Protocol: "TCP" or 6.
 */
export const rule: JSONSchemaProps = obj(
  {
    action: oneOf('Allow', 'Deny', 'Log', 'Pass'),
    ipVersion: int({ enum: [4, 6] }),
    protocol: intOrString(),
    icmp: icmpFields,
    notProtocol: intOrString(),
    notICMP: icmpFields,
    source: entityRule,
    destination: entityRule,
    http: httpMatch,
    metadata: obj({ annotations: map(str()) }),
  },
  ['action'],
);

/** The fields every calico policy spec has (networkpolicy.go NetworkPolicySpec; Types' MinItems/MaxItems markers). */
const policyCommon = {
  tier: str(),
  order: num(),
  ingress: arr(rule),
  egress: arr(rule),
  selector: selector(),
  types: arr(oneOf('Ingress', 'Egress'), { minItems: 1, maxItems: 2 }),
  serviceAccountSelector: selector(),
  performanceHints: arr(oneOf('AssumeNeededOnEveryNode')),
};

/** globalnetworkpolicy.go (GlobalNetworkPolicySpec: the common fields, host-endpoint switches, a namespace selector). */
const globalPolicyFields = {
  ...policyCommon,
  ingress: arr(rule, { maxItems: 1024 }),
  egress: arr(rule, { maxItems: 1024 }),
  doNotTrack: bool(),
  preDNAT: bool(),
  applyOnForward: bool(),
  namespaceSelector: selector(),
};

/** policy_common.go (StagedAction's enum marker). */
const stagedAction = oneOf('Set', 'Delete', 'Learn', 'Ignore');

export const networkPolicySpec: JSONSchemaProps = obj(policyCommon);
export const globalNetworkPolicySpec: JSONSchemaProps = obj(globalPolicyFields);
/** stagednetworkpolicy.go (StagedNetworkPolicySpec: stagedAction and NetworkPolicySpec's fields). */
export const stagedNetworkPolicySpec: JSONSchemaProps = obj({ stagedAction, ...policyCommon });
/** stagedglobalnetworkpolicy.go (StagedGlobalNetworkPolicySpec: stagedAction and GlobalNetworkPolicySpec's fields). */
export const stagedGlobalNetworkPolicySpec: JSONSchemaProps = obj({ stagedAction, ...globalPolicyFields });

/**
 * networkpolicy.go and stagedkubernetesnetworkpolicy.go (2026 copies) add `Status *PolicyStatus`, written by calico
 * (its print column reads `.status.conditions[?(@.type=='Valid')]`). The stored copies of the other three policy
 * files are older (2024-2025) and may have gained it in the same change, so every policy kind gets it: an unused
 * status is harmless, a missing one would be pruned. PolicyStatus's own definition is in no stored copy, so its
 * content is kept as written rather than guessed. Users do not write status, so no typo of theirs gets through.
 */
export const policyStatus: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export { stagedAction };

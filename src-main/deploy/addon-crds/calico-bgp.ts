import { arr, bool, duration, int, intOrString, obj, oneOf, port, str, type JSONSchemaProps } from './schema';

/*
 * BGPFilter (projectcalico/calico api/pkg/apis/projectcalico/v3/bgpfilter.go). Two stored copies: 17708367
 * (BGPFilterRuleV4/V6 with cidr, prefixLength, source, interface, matchOperator, action) and 050bb856 (2022-2025:
 * the same plus peerType, communities, asPathPrefix, priority and operations, with enum and bound markers). The
 * newer is a superset of the older, so this is their union. AS numbers are numorstring.ASNumber, which decodes a
 * number or a dotted string.
 */

/** bgpfilter.go (BGPCommunityValue: `aa:nn` or `aa:nn:mm`, MaxLength marker; the digit ranges are left to calico). */
const communityValue = () => str({ maxLength: 32, pattern: '^[0-9]+:[0-9]+(:[0-9]+)?$' });

const prefixLength = (max: number) =>
  obj({ min: int({ format: 'int32', minimum: 0, maximum: max }), max: int({ format: 'int32', minimum: 0, maximum: max }) });

const priority = () => int({ minimum: 1, maximum: 2147483646 });

/** bgpfilter.go (BGPFilterOperation: exactly one of the three, which calico's own CEL rule checks). */
const operation = obj({
  addCommunity: obj({ value: communityValue() }, ['value']),
  prependASPath: obj({ prefix: arr(intOrString(), { minItems: 1, maxItems: 10 }) }, ['prefix']),
  setPriority: obj({ value: priority() }, ['value']),
});

/** bgpfilter.go (BGPFilterRuleV4/V6; CIDR MaxLength 18 for IPv4, 43 for IPv6). */
const filterRule = (cidrMaxLength: number, prefixMax: number): JSONSchemaProps =>
  obj(
    {
      cidr: str({ maxLength: cidrMaxLength }),
      prefixLength: prefixLength(prefixMax),
      source: oneOf('RemotePeers'),
      interface: str(),
      matchOperator: oneOf('Equal', 'NotEqual', 'In', 'NotIn'),
      peerType: oneOf('eBGP', 'iBGP'),
      communities: obj({ values: arr(communityValue(), { minItems: 1, maxItems: 1 }) }, ['values']),
      asPathPrefix: arr(intOrString()),
      priority: priority(),
      action: oneOf('Accept', 'Reject'),
      operations: arr(operation, { minItems: 1, maxItems: 10 }),
    },
    ['action'],
  );

export const bgpFilterSpec: JSONSchemaProps = obj({
  exportV4: arr(filterRule(18, 32)),
  importV4: arr(filterRule(18, 32)),
  exportV6: arr(filterRule(43, 128)),
  importV6: arr(filterRule(43, 128)),
});

/*
 * BGPConfiguration and BGPPeer: the union of the fields in every stored copy of their Go type and of calico's CRDs
 * generated from it (projectcalico/calico):
 * - api/pkg/apis/projectcalico/v3/bgpconfig.go (0058a494, 2020-2021) and bgppeer.go (01bc7baa, 2017-2021);
 * - libcalico-go/config/crd/crd.projectcalico.org_bgpconfigurations.yaml (065562dd, controller-gen v0.18.0) and
 *   crd.projectcalico.org_bgppeers.yaml (036c024d, controller-gen v0.17.3);
 * - api/config/crd/projectcalico.org_bgpconfigurations.yaml (01326dcc) and projectcalico.org_bgppeers.yaml
 *   (0ed43653), both controller-gen v0.18.0 and the newest read: they are the only ones with programClusterRoutes
 *   (BGPConfiguration) and keepaliveTime and localASNumber (BGPPeer), so they postdate the other copies.
 * Those newest copies cannot be dated to v3.32.1 exactly; a field calico added after them would be pruned. calico's
 * v3.32 release notes (tigera/docs calico_versioned_docs/version-3.32/release-notes/index.mdx, 3.32.0 and 3.32.1) name
 * two BGP fields, BGPPeer keepaliveTime (calico#10998) and BGPConfiguration programClusterRoutes (calico#11845), both
 * in those copies, and no other.
 * AS numbers are numorstring.ASNumber, which calico writes as a JSON number (its CRDs say integer).
 */

const secretKeyRef = obj({ name: str(), key: str(), optional: bool() }, ['key']);
/** bgppeer.go (BGPPassword: a key of a Secret in calico-node's namespace). */
const bgpPassword = obj({ secretKeyRef });
const cidrBlock = obj({ cidr: str() });

/** bgpconfig.go (BGPConfigurationSpec, Community, PrefixAdvertisement, the three service CIDR blocks). */
export const bgpConfigurationSpec: JSONSchemaProps = obj({
  // the 2020 Go type's Enum marker (Debug..Fatal) became a case-insensitive pattern with Trace; the union is a string
  logSeverityScreen: str(),
  nodeToNodeMeshEnabled: bool(),
  asNumber: int({ minimum: 0, maximum: 4294967295 }),
  serviceLoadBalancerIPs: arr(cidrBlock),
  serviceExternalIPs: arr(cidrBlock),
  serviceClusterIPs: arr(cidrBlock),
  communities: arr(obj({ name: str(), value: str({ pattern: '^(\\d+):(\\d+)$|^(\\d+):(\\d+):(\\d+)$' }) })),
  prefixAdvertisements: arr(obj({ cidr: str(), communities: arr(str()) })),
  listenPort: port(1),
  nodeMeshPassword: bgpPassword,
  nodeMeshMaxRestartTime: duration(),
  bindMode: oneOf('None', 'NodeIP'),
  ignoredInterfaces: arr(str()),
  localWorkloadPeeringIPV4: str(),
  localWorkloadPeeringIPV6: str(),
  serviceLoadBalancerAggregation: oneOf('Enabled', 'Disabled'),
  programClusterRoutes: oneOf('Enabled', 'Disabled'),
});

/** bgppeer.go (BGPPeerSpec; enums from the Enum markers of the CRD copies, string bounds from the newest). */
export const bgpPeerSpec: JSONSchemaProps = obj({
  node: str({ maxLength: 253 }),
  nodeSelector: str({ maxLength: 1024 }),
  peerIP: str({ maxLength: 64 }),
  asNumber: int({ minimum: 0, maximum: 4294967295 }),
  localASNumber: int({ minimum: 0, maximum: 4294967295 }),
  peerSelector: str({ maxLength: 1024 }),
  localWorkloadSelector: str({ maxLength: 1024 }),
  keepOriginalNextHop: bool(),
  nextHopMode: oneOf('Auto', 'Self', 'Keep'),
  password: bgpPassword,
  sourceAddress: oneOf('UseNodeIP', 'None'),
  maxRestartTime: duration(),
  keepaliveTime: duration(),
  numAllowedLocalASNumbers: int({ format: 'int32' }),
  ttlSecurity: int(),
  reachableBy: str({ maxLength: 64 }),
  filters: arr(str()),
  reversePeering: oneOf('Auto', 'Manual'),
});

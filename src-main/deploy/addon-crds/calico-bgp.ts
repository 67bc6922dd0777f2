import { arr, int, intOrString, obj, oneOf, str, type JSONSchemaProps } from './schema';

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

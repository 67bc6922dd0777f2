import { arr, bool, int, int64, map, nullable, obj, oneOf, str, time, type JSONSchemaProps } from './schema';

/*
 * The IPAM resources calico-ipam, calico-node and kube-controllers write. Field names, types and nullability from
 * calico's Go types; nothing they write may be missing here, or the API server would prune it.
 */

/*
 * The crd.projectcalico.org/v1 IPAM kinds embed these specs (libcalico-go/lib/apis/crd.projectcalico.org/v1/
 * ipamblock_types.go). The older copies in libcalico-go/lib/apis/v3/ (ipam_block.go, blockaffinity.go,
 * ipam_config.go) have a subset of the internalapi fields below, so these schemas cover both.
 */

/** projectcalico/calico libcalico-go/lib/apis/internalapi/ipam_block.go (IPAMBlockSpec, AllocationAttribute). */
const allocationAttribute = obj({
  handle_id: nullable(str()),
  secondary: nullable(map(str())),
  alternateOwnerAttrs: nullable(map(str())),
});

export const ipamBlockSpec: JSONSchemaProps = obj(
  {
    cidr: str(),
    affinity: nullable(str()),
    affinityClaimTime: nullable(time()),
    // nil entries are free ordinals
    allocations: nullable(arr(nullable(int()))),
    unallocated: nullable(arr(int())),
    attributes: nullable(arr(allocationAttribute)),
    sequenceNumber: int64({ minimum: 0 }),
    sequenceNumberForAllocation: nullable(map(int64({ minimum: 0 }))),
    deleted: bool(),
    strictAffinity: bool(),
  },
  ['cidr'],
);

/** libcalico-go/lib/apis/internalapi/blockaffinity.go (BlockAffinitySpec: `deleted` is a string there). */
export const blockAffinitySpec: JSONSchemaProps = obj({ state: str(), node: str(), type: str(), cidr: str(), deleted: str() }, [
  'cidr',
  'node',
  'state',
]);

/** libcalico-go/lib/apis/internalapi/ipam_handle.go (IPAMHandleSpec). */
export const ipamHandleSpec: JSONSchemaProps = obj({ handleID: str(), block: nullable(map(int())), deleted: bool() }, ['handleID']);

/** libcalico-go/lib/apis/internalapi/ipam_config.go (IPAMConfigSpec; bounds and enum from its kubebuilder markers). */
export const ipamConfigSpec: JSONSchemaProps = obj({
  strictAffinity: bool(),
  autoAllocateBlocks: bool(),
  maxBlocksPerHost: int({ minimum: 0, maximum: 2147483647 }),
  kubeVirtVMAddressPersistence: oneOf('Enabled', 'Disabled'),
});

/** api/pkg/apis/projectcalico/v3/ippool.go (IPPoolSpec, IPIPConfiguration, AssignmentMode's enum marker). */
export const ipPoolSpec: JSONSchemaProps = obj(
  {
    cidr: str(),
    vxlanMode: str(),
    ipipMode: str(),
    natOutgoing: bool(),
    disabled: bool(),
    disableBGPExport: bool(),
    blockSize: int(),
    nodeSelector: str(),
    namespaceSelector: str(),
    // APIv1 compatibility fields calico still decodes
    ipip: obj({ enabled: bool(), mode: str() }),
    'nat-outgoing': bool(),
    allowedUses: arr(str()),
    assignmentMode: oneOf('Automatic', 'Manual'),
  },
  ['cidr'],
);

/** api/pkg/apis/projectcalico/v3/ipreservation.go (IPReservationSpec). */
export const ipReservationSpec: JSONSchemaProps = obj({ reservedCIDRs: arr(str()) });

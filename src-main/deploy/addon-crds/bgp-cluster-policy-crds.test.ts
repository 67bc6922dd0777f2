import { describe, expect, it } from 'vitest';
import { shippedCalicoCrdCheck, withField } from '../../../test/support/deploy/calico-crd-check';
import { CALICO_CRDS } from './calico-crds';
import { rootSchema } from './render';

/*
 * BGPConfiguration, BGPPeer and ClusterNetworkPolicy against the CRDs calico.yaml ships
 * (the first two had an open schema before, and calico.yaml shipped no ClusterNetworkPolicy CRD, under which every check below that expects a dropped field or an error fails).
 */
const check = shippedCalicoCrdCheck();
const calico = 'crd.projectcalico.org/v1';
const sig = 'policy.networking.k8s.io/v1alpha2';

const bgpConfigurations: Array<Record<string, unknown>> = [
  {
    apiVersion: calico,
    kind: 'BGPConfiguration',
    metadata: { name: 'default' },
    spec: {
      logSeverityScreen: 'Info',
      nodeToNodeMeshEnabled: true,
      asNumber: 64512,
      serviceLoadBalancerIPs: [{ cidr: '192.168.50.240/28' }],
      serviceExternalIPs: [{ cidr: '192.168.60.0/24' }],
      serviceClusterIPs: [{ cidr: '10.96.0.0/12' }],
      communities: [{ name: 'lab-large', value: '64512:300:100' }],
      prefixAdvertisements: [{ cidr: '10.244.0.0/16', communities: ['lab-large', '64512:120'] }],
      listenPort: 179,
      nodeMeshPassword: { secretKeyRef: { name: 'bgp-secrets', key: 'mesh' } },
      nodeMeshMaxRestartTime: '2m0s',
      bindMode: 'NodeIP',
      ignoredInterfaces: ['cali*', 'vxlan.calico'],
      localWorkloadPeeringIPV4: '169.254.0.179',
      localWorkloadPeeringIPV6: 'fd00::179',
      serviceLoadBalancerAggregation: 'Disabled',
      programClusterRoutes: 'Enabled',
    },
  },
  // a per-node override: only prefixAdvertisements, listenPort and logSeverityScreen apply there
  {
    apiVersion: calico,
    kind: 'BGPConfiguration',
    metadata: { name: 'node.node-2' },
    spec: { logSeverityScreen: 'Debug', listenPort: 1179, prefixAdvertisements: [{ cidr: '10.244.1.0/26', communities: ['64512:1'] }] },
  },
];

const bgpPeers: Array<Record<string, unknown>> = [
  {
    apiVersion: calico,
    kind: 'BGPPeer',
    metadata: { name: 'tor-rack1' },
    spec: {
      node: 'node-2',
      peerIP: '192.168.50.1:179',
      asNumber: 4200000001,
      localASNumber: 64512,
      nextHopMode: 'Self',
      password: { secretKeyRef: { name: 'bgp-secrets', key: 'tor', optional: false } },
      sourceAddress: 'UseNodeIP',
      maxRestartTime: '2m0s',
      keepaliveTime: '20s',
      numAllowedLocalASNumbers: 1,
      ttlSecurity: 1,
      reachableBy: '192.168.50.254',
      filters: ['edge'],
    },
  },
  {
    apiVersion: calico,
    kind: 'BGPPeer',
    metadata: { name: 'route-reflectors' },
    spec: {
      nodeSelector: '!has(route-reflector)',
      peerSelector: 'has(route-reflector)',
      keepOriginalNextHop: true,
      reversePeering: 'Manual',
    },
  },
  {
    apiVersion: calico,
    kind: 'BGPPeer',
    metadata: { name: 'vm-workloads' },
    spec: { localWorkloadSelector: "app == 'router'", asNumber: 65010, sourceAddress: 'None' },
  },
];

const selector = { matchLabels: { team: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] };
const pods = { namespaceSelector: {}, podSelector: { matchLabels: { app: 'prometheus' } } };
const protocols = [
  { tcp: { destinationPort: { number: 9090 } } },
  { udp: { destinationPort: { range: { start: 5000, end: 5010 } } } },
  { sctp: { destinationPort: { number: 36412 } } },
  { destinationNamedPort: 'metrics' },
];
const conditions = {
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      observedGeneration: 1,
      lastTransitionTime: '2026-12-05T10:00:00Z',
      reason: 'SetupSucceeded',
      message: '',
    },
  ],
};

const clusterPolicies: Array<Record<string, unknown>> = [
  {
    apiVersion: sig,
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'allow-monitoring' },
    spec: {
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: selector },
      ingress: [
        { name: 'from-monitoring', action: 'Accept', from: [{ namespaces: { matchLabels: { role: 'monitoring' } } }, { pods }], protocols },
      ],
      egress: [
        { name: 'to-lan', action: 'Pass', to: [{ networks: ['10.0.0.0/8', 'fd00::/8'] }] },
        { action: 'Deny', to: [{ pods }, { namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 25 } } }] },
      ],
    },
    status: conditions,
  },
  {
    apiVersion: sig,
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'baseline' },
    spec: {
      tier: 'Baseline',
      priority: 0,
      subject: { pods: { podSelector: {} } },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
    },
  },
];

const ALL = [...bgpConfigurations, ...bgpPeers, ...clusterPolicies];

/** Every field path (array indexes dropped) that a value uses. */
function paths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => paths(v, at));
  if (typeof value !== 'object' || value === null) return [at];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    `${at}${at ? '.' : ''}${k}`,
    ...paths(v, `${at}${at ? '.' : ''}${k}`),
  ]);
}

const refused = (o: Record<string, unknown>, spec: Record<string, unknown>) =>
  check({ ...o, spec: { ...(o.spec as object), ...spec } }).errors.join();

describe('BGPConfiguration, BGPPeer and ClusterNetworkPolicy CRDs', () => {
  it('objects shaped like what calico and its users write validate and round-trip with nothing pruned', () => {
    for (const o of ALL) {
      const result = check(o);
      expect({ name: o.metadata, errors: result.errors, dropped: result.dropped }).toEqual({ name: o.metadata, errors: [], dropped: [] });
      expect(result.kept).toEqual(o);
    }
  });

  it('the samples use every spec field each schema declares', () => {
    for (const kind of ['BGPConfiguration', 'BGPPeer', 'ClusterNetworkPolicy']) {
      const def = CALICO_CRDS.find((d) => d.kind === kind)!;
      const declared = Object.keys(rootSchema(def).properties!.spec!.properties!).sort();
      const used = new Set(ALL.filter((o) => o.kind === kind).flatMap((o) => Object.keys(o.spec as object)));
      expect({ kind, fields: declared.filter((f) => !used.has(f)) }).toEqual({ kind, fields: [] });
    }
    const cnpPaths = new Set(clusterPolicies.flatMap((o) => paths(o.spec, 'spec')));
    for (const p of [
      'spec.egress.to.networks',
      'spec.ingress.protocols.udp.destinationPort.range.end',
      'spec.ingress.protocols.destinationNamedPort',
      'spec.subject.pods.podSelector',
    ])
      expect(cnpPaths).toContain(p);
  });

  it('a misspelt field is pruned at every depth', () => {
    const [config] = bgpConfigurations;
    const [peer] = bgpPeers;
    const [cnp, baseline] = clusterPolicies;
    const misspelt = [
      withField(config!, ['spec', 'nodeToNodeMeshEnable'], false),
      withField(config!, ['spec', 'prefixAdvertisements', 0, 'comunities'], []),
      withField(config!, ['spec', 'nodeMeshPassword', 'secretKeyRef', 'nme'], 'x'),
      withField(peer!, ['spec', 'peerIp'], '192.168.50.2'),
      withField(peer!, ['spec', 'password', 'secretKeyRef', 'keys'], 'tor'),
      withField(cnp!, ['spec', 'priorty'], 5),
      withField(cnp!, ['spec', 'ingress', 0, 'from', 1, 'pods', 'podSelectr'], {}),
      withField(cnp!, ['spec', 'egress', 1, 'protocols', 0, 'tcp', 'destinationPort', 'numbr'], 25),
      withField(cnp!, ['status', 'conditions', 0, 'reasn'], 'x'),
      withField(baseline!, ['spec', 'subject', 'pods', 'podSelector', 'matchLabel'], { a: 'b' }),
    ];
    expect(misspelt.flatMap((o) => check(o).dropped)).toEqual([
      'spec.nodeToNodeMeshEnable',
      'spec.prefixAdvertisements[0].comunities',
      'spec.nodeMeshPassword.secretKeyRef.nme',
      'spec.peerIp',
      'spec.password.secretKeyRef.keys',
      'spec.priorty',
      'spec.ingress[0].from[1].pods.podSelectr',
      'spec.egress[1].protocols[0].tcp.destinationPort.numbr',
      'status.conditions[0].reasn',
      'spec.subject.pods.podSelector.matchLabel',
    ]);
  });

  it('a wrong enum, bound, type or a second choice where one is allowed is refused', () => {
    const [config] = bgpConfigurations;
    const [peer] = bgpPeers;
    const [cnp] = clusterPolicies;
    const allowed = /must be equal to one of the allowed values/;
    expect(refused(config!, { bindMode: 'nodeIP' })).toMatch(allowed);
    expect(refused(config!, { programClusterRoutes: 'On' })).toMatch(allowed);
    expect(refused(config!, { listenPort: 0 })).toMatch(/listenPort must be >= 1/);
    expect(refused(config!, { communities: [{ name: 'x', value: '64512' }] })).toMatch(/value must match pattern/);
    expect(refused(config!, { nodeToNodeMeshEnabled: 'true' })).toMatch(/nodeToNodeMeshEnabled must be boolean/);
    expect(refused(peer!, { nextHopMode: 'self' })).toMatch(allowed);
    expect(refused(peer!, { sourceAddress: 'NodeIP' })).toMatch(allowed);
    expect(refused(peer!, { reversePeering: 'Never' })).toMatch(allowed);
    expect(refused(peer!, { asNumber: '64512' })).toMatch(/asNumber must be integer/);
    expect(refused(peer!, { password: { secretKeyRef: { name: 'bgp' } } })).toMatch(/must have required property 'key'/);
    expect(refused(cnp!, { priority: 1001 })).toMatch(/priority must be <= 1000/);
    expect(refused(cnp!, { tier: 'admin' })).toMatch(allowed);
    expect(refused(cnp!, { ingress: [{ action: 'Allow', from: [{ namespaces: {} }] }] })).toMatch(allowed);
    expect(refused(cnp!, { egress: [{ action: 'Accept', to: [] }] })).toMatch(/to must NOT have fewer than 1 items/);
    expect(refused(cnp!, { subject: { namespaces: {}, pods } })).toMatch(/subject must NOT have more than 1 properties/);
    expect(refused(cnp!, { ingress: [{ action: 'Accept', from: [{}] }] })).toMatch(/must NOT have fewer than 1 properties/);
    expect(refused(cnp!, { ingress: [{ action: 'Accept', from: [{ networks: ['10.0.0.0/8'] }] }] })).toMatch(
      /must NOT have fewer than 1 properties/,
    );
    expect(refused(cnp!, { egress: [{ action: 'Accept', to: [{ namespaces: {} }], protocols: [{ tcp: {} }] }] })).toMatch(
      /tcp must NOT have fewer than 1 properties/,
    );
    expect(
      refused(cnp!, {
        egress: [{ action: 'Accept', to: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 0 } } }] }],
      }),
    ).toMatch(/number must be >= 1/);
    expect(
      refused(cnp!, { egress: [{ action: 'Accept', to: [{ networks: ['0123456789abcdef0123456789abcdef0123456789ab/8'] }] }] }),
    ).toMatch(/must NOT have more than 43 characters/);
    expect(check({ ...cnp!, status: { conditions: [{ type: 'Ready', status: 'Yes' }] } }).errors.join()).toMatch(allowed);
    // the tier, the priority and the subject are required of a ClusterNetworkPolicy
    expect(check({ ...cnp!, spec: { ingress: [] } }).errors.join()).toMatch(/must have required property 'tier'/);
  });
});

import { describe, expect, it } from 'vitest';
import { shippedCalicoCrdCheck, withField } from '../../../test/support/deploy/calico-crd-check';
import { FELIX_FIELD_LISTS, felixConfigurationSpec } from './calico-felix';

const check = shippedCalicoCrdCheck();
const felix = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'crd.projectcalico.org/v1',
  kind: 'FelixConfiguration',
  metadata: { name },
  spec,
});

/** A value of each plain list's type, for an object that sets every field. */
const SAMPLE: Record<keyof typeof FELIX_FIELD_LISTS, unknown> = {
  booleans: true,
  strings: 'Info',
  durations: '1m30s',
  integers: 1440,
  stringLists: ['10.0.0.0/8'],
};

const everyField = felix('default', {
  ...Object.fromEntries(
    Object.entries(FELIX_FIELD_LISTS).flatMap(([list, names]) => names.map((n) => [n, SAMPLE[list as keyof typeof SAMPLE]])),
  ),
  featureDetectOverride: 'SNATFullyRandom=true,MASQFullyRandom=false,RestoreSupportsLock=',
  featureGates: 'BPFConnectTimeLoadBalancingWorkaround=enabled',
  logActionRateLimit: '10/second',
  logActionRateLimitBurst: 5,
  bpfMapSizeConntrackCleanupQueue: 100000,
  iptablesMarkMask: 4294901760,
  nftablesMarkMask: 4294901760,
  nodeSelector: "kubernetes.io/os == 'linux'",
  natPortRange: '32768:65535',
  bpfPSNATPorts: '20000:29999',
  istioDSCPMark: 23,
  kubeNodePortRanges: ['30000:32767', 8080],
  bpfLogFilters: { all: 'tcp port 80', weps: '' },
  bpfConntrackTimeouts: {
    creationGracePeriod: '10s',
    tcpSynSent: '20s',
    tcpEstablished: '1h',
    tcpFinsSeen: 'Auto',
    tcpResetSeen: '40s',
    udpTimeout: '60s',
    genericTimeout: '10m',
    icmpTimeout: '5s',
  },
  failsafeInboundHostPorts: [
    { protocol: 'tcp', port: 22, net: '' },
    { protocol: 'udp', port: 68, net: '0.0.0.0/0' },
  ],
  failsafeOutboundHostPorts: [{ protocol: 'udp', port: 53, net: '' }],
  healthTimeoutOverrides: [{ name: 'InternalDataplaneMainLoop', timeout: '1m30s' }],
  routeTableRange: { min: 1, max: 250 },
  routeTableRanges: [{ min: 1, max: 250 }],
  awsSrcDstCheck: 'DoNothing',
  bpfAttachType: 'TCX',
  bpfConnectTimeLoadBalancing: 'TCP',
  bpfConntrackLogLevel: 'Off',
  bpfConntrackMode: 'Userspace',
  bpfHostNetworkedNATWithoutCTLB: 'Enabled',
  bpfJITHardening: 'Auto',
  bpfOverlayHostSourceIP: 'TunnelAddress',
  bpfProfiling: 'Disabled',
  bpfRedirectToPeer: 'L2Only',
  floatingIPs: 'Disabled',
  flowLogsLocalReporter: 'Disabled',
  flowLogsPolicyEvaluationMode: 'Continuous',
  ipForwarding: 'Enabled',
  istioAmbientMode: 'Disabled',
  localSubnetL2Reachability: 'PodsAndLoadBalancers',
  natOutgoingExclusions: 'IPPoolsOnly',
  nftablesMode: 'Auto',
  programClusterRoutes: 'Disabled',
  windowsManageFirewallRules: 'Disabled',
});

// the shape of the default FelixConfiguration calico-node's start-up leaves (bpfLogLevel has no omitempty, so an
// empty one is written), and a per-node override a user writes (its name is node.<node name>)
const written = [
  felix('default', {
    bpfConnectTimeLoadBalancing: 'TCP',
    bpfHostNetworkedNATWithoutCTLB: 'Enabled',
    bpfLogLevel: '',
    floatingIPs: 'Disabled',
    healthPort: 9099,
    logSeverityScreen: 'Info',
    reportingInterval: '0s',
  }),
  felix('node.node-2', { bpfLogLevel: '', logSeverityScreen: 'Debug', wireguardEnabled: true }),
];

describe('FelixConfiguration CRD', () => {
  it('no field is named twice in the lists, and the every-field sample uses every field the schema names', () => {
    const listed = Object.values(FELIX_FIELD_LISTS).flat();
    expect(listed.length).toBe(new Set(listed).size);
    const declared = Object.keys(felixConfigurationSpec.properties!);
    expect(declared.length).toBeGreaterThan(180);
    expect(Object.keys(everyField.spec).sort()).toEqual(declared.sort());
  });

  it("the every-field sample, calico-node's default and a per-node override validate and round-trip with nothing pruned", () => {
    for (const o of [everyField, ...written]) expect(check(o)).toEqual({ errors: [], dropped: [], kept: o });
  });

  it('a misspelt field is pruned at every depth', () => {
    const misspelt = [
      withField(everyField, ['spec', 'bpfEnabeld'], true),
      withField(everyField, ['spec', 'failsafeInboundHostPorts', 1, 'proto'], 'udp'),
      withField(everyField, ['spec', 'bpfConntrackTimeouts', 'tcpEstablish'], '2h'),
      withField(everyField, ['spec', 'routeTableRanges', 0, 'mx'], 9),
      withField(everyField, ['spec', 'healthTimeoutOverrides', 0, 'timout'], '1m'),
    ];
    expect(misspelt.flatMap((o) => check(o).dropped)).toEqual([
      'spec.bpfEnabeld',
      'spec.failsafeInboundHostPorts[1].proto',
      'spec.bpfConntrackTimeouts.tcpEstablish',
      'spec.routeTableRanges[0].mx',
      'spec.healthTimeoutOverrides[0].timout',
    ]);
  });

  it('a wrong enum, bound, pattern or type is refused', () => {
    const refused = (spec: Record<string, unknown>) => check(felix('default', spec)).errors.join();
    const allowed = /must be equal to one of the allowed values/;
    expect(refused({ bpfAttachType: 'tcx' })).toMatch(allowed);
    expect(refused({ nftablesMode: 'On' })).toMatch(allowed);
    expect(refused({ bpfRedirectToPeer: 'Always' })).toMatch(allowed);
    expect(refused({ ipForwarding: true })).toMatch(/ipForwarding must be string/);
    expect(refused({ iptablesMarkMask: -1 })).toMatch(/iptablesMarkMask must be >= 0/);
    expect(refused({ logActionRateLimit: '10/week' })).toMatch(/logActionRateLimit must match pattern/);
    expect(refused({ featureGates: 'a=b=c' })).toMatch(/featureGates must match pattern/);
    expect(refused({ bpfConntrackTimeouts: { tcpSynSent: '20 seconds' } })).toMatch(/tcpSynSent must match pattern/);
    expect(refused({ healthTimeoutOverrides: [{ name: 'x' }] })).toMatch(/must have required property 'timeout'/);
    expect(refused({ failsafeInboundHostPorts: [{ protocol: 'tcp' }] })).toMatch(/must have required property 'port'/);
    expect(refused({ bpfEnabled: 'true' })).toMatch(/bpfEnabled must be boolean/);
    expect(refused({ vxlanMTU: '1410' })).toMatch(/vxlanMTU must be integer/);
  });
});

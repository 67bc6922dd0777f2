import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, type ClusterSettings } from '../../../src-shared/model/cluster';
import { planContext } from '../context';
import { addonVars, chosenAddons } from '../phases/addons';
import { findTemplatesDir, fileTemplates } from '../templates';
import { withField } from '../../../test/support/deploy/calico-crd-check';
import { prune } from '../../../test/support/deploy/crd-pruning';
import { crdSchemaValidator } from '../../../test/support/deploy/crd-validate';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { parseManifest, podTemplates, type ManifestObject } from '../../../test/support/deploy/manifests';
import { structuralErrors } from '../../../test/support/deploy/structural-schema';
import { fieldChecker } from '../../../test/support/deploy/kube-fields';
import { schemaErrors } from '../../../test/support/deploy/kube-schemas';
import { kubeTypePaths, schemaPaths } from '../../../test/support/deploy/kube-type-paths';
import { CALICO_CRDS } from './calico-crds';
import { currentCrdSection, renderCrdSection } from './render';
import { OPEN, type JSONSchemaProps } from './schema';

const templates = fileTemplates();
const CNIS = ClusterSettingsSchema.shape.cni.unwrap().options;

function appliedObjects(settings: Partial<ClusterSettings>): ManifestObject[] {
  const ctx = planContext({ cluster: labCluster(6, settings), pki: fakePki(), binaries: fakeBinaries(), templates });
  return chosenAddons(ctx).names.flatMap((name) => parseManifest(templates.render(ctx.version, `addons/${name}.yaml`, addonVars(ctx))));
}

interface ShippedCrd {
  name: string;
  group: string;
  kind: string;
  versions: Array<{ name: string; schema: { openAPIV3Schema: JSONSchemaProps } }>;
}
const shippedCrds = (objects: ManifestObject[]): ShippedCrd[] =>
  objects
    .filter((o) => o.kind === 'CustomResourceDefinition')
    .map((o) => {
      const spec = o.spec as unknown as { group: string; names: { kind: string }; versions: ShippedCrd['versions'] };
      return { name: String(o.metadata?.name), group: spec.group, kind: spec.names.kind, versions: spec.versions };
    });

/** The schema a shipped CRD gives `apiVersion`/`kind`, or undefined when no shipped CRD serves it. */
function schemaFor(crds: ShippedCrd[], apiVersion: string, kind: string): JSONSchemaProps | undefined {
  const [group, version] = apiVersion.split('/');
  return crds.find((c) => c.group === group && c.kind === kind)?.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
}

const hasPreserveUnknown = (s: JSONSchemaProps): boolean =>
  s['x-kubernetes-preserve-unknown-fields'] === true ||
  Object.values(s.properties ?? {}).some(hasPreserveUnknown) ||
  (typeof s.additionalProperties === 'object' && hasPreserveUnknown(s.additionalProperties)) ||
  (s.items !== undefined && hasPreserveUnknown(s.items));

/** The CRDs left open on purpose, each with its reason in calico-crds.ts. */
const OPEN_CRDS = CALICO_CRDS.filter((d) => 'open' in d.schema).map((d) => `${d.plural}.${d.group}`);
/** Closed CRDs whose status (written by calico, never by users) is kept as written: calico-policy.ts says why. */
const OPEN_STATUS = [
  'globalnetworkpolicies',
  'networkpolicies',
  'stagedglobalnetworkpolicies',
  'stagedkubernetesnetworkpolicies',
  'stagednetworkpolicies',
].map((plural) => `${plural}.crd.projectcalico.org`);

const withoutStatus = (s: JSONSchemaProps): JSONSchemaProps => {
  const { status: _status, ...properties } = s.properties ?? {};
  return { ...s, properties };
};

/** Closedness and structure of every CRD in a set of manifests: the problems, by CRD name. */
function crdProblems(crds: ShippedCrd[], allowedOpen: string[], allowedOpenStatus: string[] = []): string[] {
  return crds.flatMap((crd) =>
    crd.versions.flatMap((v) => {
      const root = v.schema.openAPIV3Schema;
      const checked = allowedOpenStatus.includes(crd.name) ? withoutStatus(root) : root;
      return [
        ...structuralErrors(root).map((e) => `${crd.name}: ${e}`),
        ...(hasPreserveUnknown(checked) && !allowedOpen.includes(crd.name)
          ? [`${crd.name}: x-kubernetes-preserve-unknown-fields (an open schema)`]
          : []),
      ];
    }),
  );
}

const calicoObjects = appliedObjects({ cni: 'calico' });
const calicoCrds = shippedCrds(calicoObjects);

/** Validates against the shipped CRD and prunes as the API server would: the errors and the dropped fields. */
function check(o: Record<string, unknown>): { errors: string[]; dropped: string[]; kept: unknown } {
  const schema = schemaFor(calicoCrds, String(o.apiVersion), String(o.kind));
  if (!schema) throw new Error(`no shipped CRD serves ${String(o.apiVersion)} ${String(o.kind)}`);
  const { kept, dropped } = prune(schema, o);
  return { errors: crdSchemaValidator(schema)(o), dropped, kept };
}

describe('calico CRDs', () => {
  it("calico.yaml's CRD section is exactly what src-main/deploy/addon-crds renders", () => {
    const template = readFileSync(join(findTemplatesDir(), 'common', 'addons', 'calico.yaml'), 'utf8');
    expect(currentCrdSection(template)).toBe(renderCrdSection(CALICO_CRDS));
    expect(calicoCrds.map((c) => c.name)).toEqual(CALICO_CRDS.map((d) => `${d.plural}.${d.group}`));
  });

  for (const cni of CNIS) {
    it(`with ${cni}: every shipped CRD is structural, and open only where listed`, () => {
      expect(crdProblems(shippedCrds(appliedObjects({ cni })), OPEN_CRDS, OPEN_STATUS)).toEqual([]);
    });
  }

  it('every CRD is closed (an open one would need its reason); only the listed policy statuses stay open', () => {
    expect(OPEN_CRDS).toEqual([]);
    for (const d of CALICO_CRDS) if ('open' in d.schema) expect(d.schema.open.length).toBeGreaterThan(40);
    expect(calicoCrds.filter((c) => !OPEN_CRDS.includes(c.name))).toHaveLength(23);
    // an open status is allowed only where listed, and only under status
    const policies = calicoCrds.filter((c) => c.name.endsWith('networkpolicies.crd.projectcalico.org'));
    expect(crdProblems(policies, [], OPEN_STATUS)).toEqual([]);
    expect(crdProblems(policies, [])).toEqual(OPEN_STATUS.map((n) => `${n}: x-kubernetes-preserve-unknown-fields (an open schema)`));
  });

  it('the checks refuse the old open schemas and each structural-rule violation', () => {
    const old = calicoCrds.map((c) => ({ ...c, versions: c.versions.map((v) => ({ ...v, schema: { openAPIV3Schema: OPEN } })) }));
    const oldProblems = crdProblems(old, []);
    expect(oldProblems).toHaveLength(23);
    expect(oldProblems).toContain('ippools.crd.projectcalico.org: x-kubernetes-preserve-unknown-fields (an open schema)');

    const bad: JSONSchemaProps = {
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { labels: { type: 'object' } } },
        spec: {
          type: 'object',
          properties: {
            untyped: {},
            both: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
            junctor: { type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ type: 'object', properties: { b: {} } }] },
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          },
        },
      },
    };
    expect(structuralErrors(bad)).toEqual([
      'spec.untyped: no type',
      'spec.both: properties and additionalProperties together',
      'spec.junctor.anyOf: type inside a junctor',
      'spec.junctor.anyOf: field b is not specified outside the junctor',
      'metadata.labels: only name and generateName may be restricted',
    ]);
  });

  it("objects the app applies under a shipped CRD validate, and so does the pool calico-node makes from the template's settings", () => {
    const custom = calicoObjects.filter((o) => schemaFor(calicoCrds, String(o.apiVersion), String(o.kind)));
    for (const o of custom) expect(check(o)).toMatchObject({ errors: [], dropped: [] });

    // calico-node creates the default IPv4 pool from these env values (CALICO_IPV4POOL_*); blockSize 26 and
    // allowedUses [Tunnel, Workload] are the defaults api/pkg/apis/projectcalico/v3/ippool.go documents.
    const node = podTemplates(calicoObjects).find((p) => p.owner.metadata?.name === 'calico-node')!;
    const env = new Map(node.pod.containers[0]!.env!.map((e) => [e.name, e.value]));
    const pool = {
      apiVersion: 'crd.projectcalico.org/v1',
      kind: 'IPPool',
      metadata: { name: 'default-ipv4-ippool' },
      spec: {
        cidr: env.get('CALICO_IPV4POOL_CIDR'),
        ipipMode: env.get('CALICO_IPV4POOL_IPIP'),
        vxlanMode: env.get('CALICO_IPV4POOL_VXLAN'),
        natOutgoing: true,
        blockSize: 26,
        nodeSelector: 'all()',
        allowedUses: ['Workload', 'Tunnel'],
      },
    };
    expect(pool.spec.cidr).toBe(labCluster(6).settings.podCidr);
    expect(check(pool)).toMatchObject({ errors: [], dropped: [] });

    const typo = { ...pool, spec: { ...pool.spec, cidr: undefined, cidrr: pool.spec.cidr } };
    const refused = check(JSON.parse(JSON.stringify(typo)) as Record<string, unknown>);
    expect(refused.dropped).toEqual(['spec.cidrr']);
    expect(refused.errors.join()).toMatch(/cidr/);
    expect(check({ ...pool, spec: { ...pool.spec, blockSize: '26' } }).errors.join()).toMatch(/blockSize must be integer/);
  });

  it('what calico writes (IPAM blocks, affinities, handles, cluster info, status) validates and round-trips with nothing pruned', () => {
    const written: Array<Record<string, unknown>> = [
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPAMBlock',
        metadata: { name: '10-244-1-0-26' },
        spec: {
          cidr: '10.244.1.0/26',
          affinity: 'host:node-2',
          affinityClaimTime: '2026-12-05T10:00:00Z',
          allocations: [0, null, 1, null],
          unallocated: [1, 3, 4, 5],
          attributes: [
            { handle_id: 'ipip-tunnel-addr-node-2', secondary: { node: 'node-2', type: 'ipipTunnelAddress' } },
            {
              handle_id: 'k8s-pod-network.4f1c',
              secondary: { namespace: 'kube-system', node: 'node-2', pod: 'coredns-1', timestamp: '2026-12-05 10:01:00 +0000 UTC' },
              alternateOwnerAttrs: { pod: 'coredns-0' },
            },
          ],
          sequenceNumber: 7,
          sequenceNumberForAllocation: { '0': 1, '2': 7 },
          deleted: false,
          strictAffinity: false,
        },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPAMBlock',
        metadata: { name: '10-244-2-0-26' },
        spec: {
          cidr: '10.244.2.0/26',
          affinity: null,
          allocations: null,
          unallocated: null,
          attributes: null,
          sequenceNumberForAllocation: null,
          deleted: false,
          strictAffinity: false,
          sequenceNumber: 0,
        },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'BlockAffinity',
        metadata: { name: 'node-2-10-244-1-0-26' },
        spec: { state: 'confirmed', node: 'node-2', type: 'host', cidr: '10.244.1.0/26', deleted: 'false' },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPAMHandle',
        metadata: { name: 'k8s-pod-network.4f1c' },
        spec: { handleID: 'k8s-pod-network.4f1c', block: { '10.244.1.0/26': 1 }, deleted: false },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'IPAMConfig',
        metadata: { name: 'default' },
        spec: { strictAffinity: false, autoAllocateBlocks: true, maxBlocksPerHost: 0 },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'ClusterInformation',
        metadata: { name: 'default' },
        spec: { calicoVersion: 'v3.32.1', clusterGUID: '5b0c', clusterType: 'k8s,bgp,kdd', datastoreReady: true },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'KubeControllersConfiguration',
        metadata: { name: 'default' },
        spec: {
          healthChecks: 'Enabled',
          logSeverityScreen: 'Info',
          controllers: {
            node: { reconcilerPeriod: '5m0s', syncLabels: 'Enabled', leakGracePeriod: '15m0s' },
            loadBalancer: { assignIPs: 'AllServices' },
          },
          etcdV3CompactionPeriod: '10m0s',
        },
        status: {
          runningConfig: {
            healthChecks: 'Enabled',
            logSeverityScreen: 'Info',
            controllers: { node: { reconcilerPeriod: '5m0s', syncLabels: 'Enabled', hostEndpoint: { autoCreate: 'Disabled' } } },
            etcdV3CompactionPeriod: '10m0s',
          },
          environmentVars: { ENABLED_CONTROLLERS: 'node,loadbalancer', DATASTORE_TYPE: 'kubernetes' },
        },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'CalicoNodeStatus',
        metadata: { name: 'node-2-status' },
        spec: { node: 'node-2', classes: ['Agent', 'BGP', 'Routes'], updatePeriodSeconds: 10 },
        status: {
          lastUpdated: '2026-12-05T10:02:00Z',
          agent: {
            birdV4: {
              state: 'Ready',
              version: 'v0.3.3',
              routerID: '10.231.0.3',
              lastBootTime: '2026-12-05 10:00:00',
              lastReconfigurationTime: '2026-12-05 10:00:01',
            },
            birdV6: {},
          },
          bgp: {
            numberEstablishedV4: 2,
            numberNotEstablishedV4: 0,
            numberEstablishedV6: 0,
            numberNotEstablishedV6: 0,
            peersV4: [{ peerIP: '10.231.0.2', type: 'NodeMesh', state: 'Established', since: '10:00:05' }],
          },
          routes: {
            routesV4: [
              {
                type: 'FIB',
                destination: '10.244.2.0/26',
                gateway: '10.231.0.4',
                interface: 'tunl0',
                learnedFrom: { sourceType: 'NodeMesh', peerIP: '10.231.0.4' },
              },
            ],
          },
        },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'Tier',
        metadata: { name: 'default' },
        spec: { order: 1000000, defaultAction: 'Deny' },
      },
      {
        apiVersion: 'crd.projectcalico.org/v1',
        kind: 'HostEndpoint',
        metadata: { name: 'node-2-eth0' },
        spec: {
          node: 'node-2',
          interfaceName: 'eth0',
          expectedIPs: ['10.231.0.3'],
          profiles: ['projectcalico-default-allow'],
          ports: [
            { name: 'ssh', protocol: 'TCP', port: 22 },
            { name: 'x', protocol: 132, port: 9 },
          ],
        },
      },
    ];
    expect(new Set(written.map((o) => o.kind)).size).toBe(9);
    for (const o of written) {
      const result = check(o);
      expect({ kind: o.kind, errors: result.errors, dropped: result.dropped }).toEqual({ kind: o.kind, errors: [], dropped: [] });
      expect(result.kept).toEqual(o);
    }
  });

  describe('policy and BGP filter resources', () => {
    const v1 = 'crd.projectcalico.org/v1';
    const entity = {
      nets: ['10.0.0.0/8'],
      selector: "app == 'web'",
      namespaceSelector: 'global()',
      ports: [80, '8080:8090', 'http'],
      notNets: ['10.1.0.0/16'],
      notSelector: "role == 'canary'",
      notPorts: [22],
      serviceAccounts: { names: ['web'], selector: "team == 'a'" },
    };
    const rule = {
      action: 'Allow',
      ipVersion: 4,
      protocol: 'TCP',
      notProtocol: 17,
      source: entity,
      destination: { services: { name: 'kubernetes', namespace: 'default' } },
      http: { methods: ['GET'], paths: [{ exact: '/healthz' }, { prefix: '/api' }] },
      metadata: { annotations: { owner: 'ops' } },
    };
    const icmpRule = { action: 'Deny', ipVersion: 6, protocol: 'ICMPv6', icmp: { type: 128, code: 0 }, notICMP: { type: 1 } };
    const common = {
      tier: 'default',
      order: 100.5,
      ingress: [rule, icmpRule],
      egress: [{ action: 'Pass' }, { action: 'Log' }],
      selector: "app == 'web'",
      types: ['Ingress', 'Egress'],
      serviceAccountSelector: "sa == 'x'",
      performanceHints: ['AssumeNeededOnEveryNode'],
    };
    const global = { ...common, doNotTrack: false, preDNAT: false, applyOnForward: true, namespaceSelector: "ns == 'a'" };
    const k8sSpec = {
      podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { role: 'client' } }, namespaceSelector: { matchLabels: { team: 'a' } } },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
          ],
          ports: [
            { protocol: 'TCP', port: 'http' },
            { protocol: 'UDP', port: 5000, endPort: 5010 },
          ],
        },
      ],
      egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }],
      policyTypes: ['Ingress', 'Egress'],
    };
    const bgpRule = {
      cidr: '10.0.0.0/8',
      prefixLength: { min: 16, max: 24 },
      source: 'RemotePeers',
      interface: 'eth*',
      matchOperator: 'In',
      peerType: 'eBGP',
      communities: { values: ['65000:100'] },
      asPathPrefix: [65000, '65001'],
      priority: 512,
      action: 'Accept',
      operations: [{ addCommunity: { value: '65000:1:2' } }, { prependASPath: { prefix: [65000] } }, { setPriority: { value: 10 } }],
    };
    const objects: Array<Record<string, unknown>> = [
      {
        apiVersion: v1,
        kind: 'NetworkPolicy',
        metadata: { name: 'web', namespace: 'apps' },
        spec: common,
        status: { conditions: [{ type: 'Valid', status: 'True', reason: 'Valid', lastTransitionTime: '2026-12-05T10:00:00Z' }] },
      },
      { apiVersion: v1, kind: 'GlobalNetworkPolicy', metadata: { name: 'hosts' }, spec: global, status: { conditions: [] } },
      {
        apiVersion: v1,
        kind: 'StagedNetworkPolicy',
        metadata: { name: 'web', namespace: 'apps' },
        spec: { stagedAction: 'Set', ...common },
      },
      { apiVersion: v1, kind: 'StagedGlobalNetworkPolicy', metadata: { name: 'hosts' }, spec: { stagedAction: 'Learn', ...global } },
      {
        apiVersion: v1,
        kind: 'StagedKubernetesNetworkPolicy',
        metadata: { name: 'web', namespace: 'apps' },
        spec: { stagedAction: 'Delete', ...k8sSpec },
        status: { conditions: [{ type: 'Valid', status: 'True' }] },
      },
      {
        apiVersion: v1,
        kind: 'BGPFilter',
        metadata: { name: 'edge' },
        spec: {
          exportV4: [bgpRule, { action: 'Reject' }],
          importV4: [{ cidr: '192.168.0.0/16', matchOperator: 'NotIn', action: 'Reject' }],
          exportV6: [{ ...bgpRule, cidr: 'fd00::/8', prefixLength: { min: 48, max: 64 } }],
          importV6: [{ action: 'Accept' }],
        },
      },
    ];

    it('an object with every spec field of each validates and round-trips with nothing pruned', () => {
      expect(new Set(objects.map((o) => o.kind)).size).toBe(6);
      // every top-level spec field the schema knows is used above
      for (const o of objects) {
        const schema = schemaFor(calicoCrds, v1, String(o.kind))!.properties!.spec!;
        expect({ kind: o.kind, fields: Object.keys(o.spec as object).sort() }).toEqual({
          kind: o.kind,
          fields: Object.keys(schema.properties!).sort(),
        });
        const result = check(o);
        expect({ kind: o.kind, errors: result.errors, dropped: result.dropped }).toEqual({ kind: o.kind, errors: [], dropped: [] });
        expect(result.kept).toEqual(o);
      }
    });

    it('a misspelt field is pruned at every level, and a wrong enum or type is refused', () => {
      const [np, gnp, snp, sgnp, sknp, filter] = objects;
      const misspelt = [
        withField(np!, ['spec', 'selectr'], 'all()'),
        withField(np!, ['spec', 'ingress', 0, 'destination', 'servics'], {}),
        withField(np!, ['spec', 'ingress', 0, 'source', 'serviceAccounts', 'name'], 'web'),
        withField(gnp!, ['spec', 'doNotTrak'], true),
        withField(snp!, ['spec', 'stagedActions'], 'Set'),
        withField(sgnp!, ['spec', 'egress', 0, 'icmp'], { typ: 8 }),
        withField(sknp!, ['spec', 'ingress', 0, 'from', 1, 'ipBlock', 'exept'], []),
        withField(filter!, ['spec', 'exportV4', 0, 'operations', 0, 'addComunity'], {}),
      ];
      expect(misspelt.flatMap((o) => check(o).dropped)).toEqual([
        'spec.selectr',
        'spec.ingress[0].destination.servics',
        'spec.ingress[0].source.serviceAccounts.name',
        'spec.doNotTrak',
        'spec.stagedActions',
        'spec.egress[0].icmp.typ',
        'spec.ingress[0].from[1].ipBlock.exept',
        'spec.exportV4[0].operations[0].addComunity',
      ]);

      const refused = (o: Record<string, unknown>, spec: Record<string, unknown>) =>
        check({ ...o, spec: { ...(o.spec as object), ...spec } }).errors.join();
      expect(refused(objects[0]!, { ingress: [{ ...rule, action: 'allow' }] })).toMatch(
        /action must be equal to one of the allowed values/,
      );
      expect(refused(objects[0]!, { egress: [{ protocol: 'TCP' }] })).toMatch(/must have required property 'action'/);
      expect(refused(objects[1]!, { ingress: [{ action: 'Allow', ipVersion: 5 }] })).toMatch(
        /ipVersion must be equal to one of the allowed values/,
      );
      expect(refused(objects[3]!, { stagedAction: 'Apply' })).toMatch(/stagedAction must be equal to one of the allowed values/);
      expect(refused(objects[4]!, { policyTypes: ['ingress'] })).toMatch(/policyTypes\/0 must be equal to one of the allowed values/);
      expect(refused(objects[5]!, { importV4: [{ cidr: '10.0.0.0/8', action: 'Accept', priority: 0 }] })).toMatch(/priority must be >= 1/);
    });

    it("StagedKubernetesNetworkPolicy's spec has every field of Kubernetes' NetworkPolicySpec, and its sample is a valid NetworkPolicy", async () => {
      const ours = new Set(schemaPaths(schemaFor(calicoCrds, v1, 'StagedKubernetesNetworkPolicy')!.properties!.spec!));
      const kubernetes = kubeTypePaths('networking.k8s.io/v1', 'NetworkPolicySpec');
      expect(kubernetes.length).toBeGreaterThan(40);
      expect(kubernetes.filter((p) => !ours.has(p))).toEqual([]);
      expect([...ours].filter((p) => !kubernetes.includes(p))).toEqual(['stagedAction']);

      const asNetworkPolicy = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web', namespace: 'apps' },
        spec: k8sSpec,
      };
      expect(await schemaErrors(asNetworkPolicy as ManifestObject)).toEqual([]);
      expect(fieldChecker([asNetworkPolicy]).unknownFields(asNetworkPolicy)).toEqual([]);
    });
  });
});

import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema, KUBERNETES_VERSIONS, type ClusterSettings } from '../../../src-shared/model/cluster';
import { planContext } from '../context';
import { fileTemplates } from '../templates';
import { fakeBinaries, fakePki, labCluster } from '../../../test/support/deploy/fixtures';
import { fieldChecker } from '../../../test/support/deploy/kube-fields';
import { schemaErrors } from '../../../test/support/deploy/kube-schemas';
import { parseManifest, type ManifestObject } from '../../../test/support/deploy/manifests';
import { addonVars, chosenAddons } from './addons';

/**
 * Every object the add-on phase applies, for every supported version and pod network, checked against
 * Kubernetes' own OpenAPI schemas as kubernetes-models 5.1.0 compiles them (one schema set, generated from the
 * newest Kubernetes it was built for: the API types these manifests use are GA and the same in 1.35 to 1.37).
 */
const templates = fileTemplates();
const CNIS = ClusterSettingsSchema.shape.cni.unwrap().options;

function appliedObjects(settings: Partial<ClusterSettings>) {
  const ctx = planContext({ cluster: labCluster(6, settings), pki: fakePki(), binaries: fakeBinaries(), templates });
  return chosenAddons(ctx).names.flatMap((name) =>
    parseManifest(templates.render(ctx.version, `addons/${name}.yaml`, addonVars(ctx))).map((o) => ({ name, o })),
  );
}

describe('applied objects against the Kubernetes OpenAPI schemas', () => {
  for (const version of KUBERNETES_VERSIONS) {
    for (const cni of CNIS) {
      it(`${version} with ${cni}, CoreDNS, metrics-server and Headlamp: every object validates`, async () => {
        const objects = appliedObjects({ kubernetesVersion: version, cni, addons: { coredns: true, metricsServer: true, headlamp: true } });
        expect(new Set(objects.map((x) => x.name))).toEqual(new Set([cni, 'coredns', 'metrics-server', 'headlamp']));
        const errors = (await Promise.all(objects.map(({ o }) => schemaErrors(o)))).flat();
        expect(errors).toEqual([]);
        const fields = fieldChecker(objects.map(({ o }) => ({ apiVersion: String(o.apiVersion), kind: String(o.kind) })));
        const unknown = objects.flatMap(({ name, o }) =>
          fields.unknownFields(o).map((f) => `${name}: ${String(o.kind)} ${String(o.metadata?.name)}: ${f}`),
        );
        expect(unknown).toEqual([]);
      }, 60_000);
    }
  }

  it('names a misspelt or misplaced field by its path, inside lists, maps and CRD schemas too', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { 'any-key': 'v' }, lables: { a: 'b' } },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          spec: { containers: [{ name: 'c', image: 'i', imagePullPolicies: 'Always', ports: [{ containerPort: 1, hostPorts: 2 }] }] },
        },
      },
      spec2: {},
    };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'w.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'W', plural: 'ws' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: { type: 'object', requird: ['a'] },
                  list: { type: 'array', items: { type: 'string', formt: 'x' } },
                  map: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
                },
              },
            },
          },
        ],
      },
    };
    const fields = fieldChecker([deployment, crd]);
    expect(fields.unknownFields(deployment)).toEqual([
      'metadata.lables',
      'spec.template.spec.containers[0].imagePullPolicies',
      'spec.template.spec.containers[0].ports[0].hostPorts',
      'spec2',
    ]);
    expect(fields.unknownFields(crd)).toEqual([
      'spec.versions[0].schema.openAPIV3Schema.properties.spec.requird',
      'spec.versions[0].schema.openAPIV3Schema.properties.list.items.formt',
    ]);
  }, 60_000);

  it('catches a wrong type, a missing required field and an unknown kind', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { selector: { matchLabels: { a: 'b' } }, replicas: 'two', template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    expect((await schemaErrors(deployment)).join()).toMatch(/Deployment \/x: .*replicas/);
    const noContainers = { ...deployment, spec: { ...deployment.spec, replicas: 1, template: { spec: {} } } } as unknown as ManifestObject;
    expect((await schemaErrors(noContainers)).join()).toMatch(/containers/);
    expect(await schemaErrors({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget /w: no schema for example.com/v1 Widget',
    ]);
  });
});

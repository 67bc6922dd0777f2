import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import type { CrdDefinition } from './calico-crds';
import { OPEN, obj, str, type JSONSchemaProps } from './schema';

/** The openAPIV3Schema of one CRD: the object envelope around its spec (and status). */
export function rootSchema(def: CrdDefinition): JSONSchemaProps {
  if ('open' in def.schema) return OPEN;
  const { spec, status } = def.schema;
  return obj({
    apiVersion: str(),
    kind: str(),
    metadata: { type: 'object' },
    spec,
    ...(status ? { status } : {}),
  });
}

export function crdObject(def: CrdDefinition): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${def.plural}.${def.group}` },
    spec: {
      group: def.group,
      scope: def.scope,
      names: { kind: def.kind, listKind: `${def.kind}List`, plural: def.plural, singular: def.kind.toLowerCase() },
      versions: [
        {
          name: def.version,
          served: true,
          storage: true,
          ...(def.statusSubresource ? { subresources: { status: {} } } : {}),
          schema: { openAPIV3Schema: rootSchema(def) },
        },
      ],
    },
  };
}

const FLOW_LIMIT = 120;

/** YAML for one CRD: block style, with small leaf maps (`{ type: string }`) on one line. */
function crdYaml(def: CrdDefinition): string {
  // shared schema parts written out in full each time: no YAML anchors for a reader or a tool to resolve
  const doc = new Document(crdObject(def), { aliasDuplicateObjects: false });
  visit(doc, {
    Seq(_key, node) {
      if (node.items.every(isScalar)) node.flow = true;
    },
    Map(_key, node) {
      const leaf = node.items.every((p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.every(isScalar)));
      const nestedLeafMaps = node.items.every(
        (p) => isScalar(p.value) || (isMap(p.value) && p.value.items.length === 0) || (isSeq(p.value) && p.value.items.every(isScalar)),
      );
      if (leaf || nestedLeafMaps) {
        node.flow = true;
        if (JSON.stringify(node.toJSON()).length > FLOW_LIMIT) node.flow = false;
      }
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

export const CRD_BEGIN = '# BEGIN generated CRDs: src-main/deploy/addon-crds/ (npx tsx scripts/calico-crds.ts); do not edit here.';
export const CRD_END = '# END generated CRDs';

/** The CRD section of calico.yaml: every definition, separated as YAML documents, between the two markers. */
export function renderCrdSection(defs: CrdDefinition[]): string {
  return [CRD_BEGIN, defs.map(crdYaml).join('---\n') + CRD_END].join('\n') + '\n';
}

/** calico.yaml's text with its CRD section replaced; refuses a text without exactly one pair of markers. */
export function replaceCrdSection(template: string, section: string): string {
  const begin = template.indexOf(CRD_BEGIN);
  const end = template.indexOf(CRD_END);
  if (begin < 0 || end < begin || template.indexOf(CRD_BEGIN, begin + 1) >= 0)
    throw new Error('calico.yaml needs exactly one generated-CRD section between its markers');
  return template.slice(0, begin) + section + template.slice(end + CRD_END.length + 1);
}

/** The CRD section calico.yaml holds now. */
export function currentCrdSection(template: string): string {
  const begin = template.indexOf(CRD_BEGIN);
  const end = template.indexOf(CRD_END);
  return begin < 0 || end < begin ? '' : template.slice(begin, end + CRD_END.length + 1);
}

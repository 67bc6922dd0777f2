import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as a manifest states it; only the fields the tests read are typed. */
export interface ManifestObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
  spec?: { template?: { spec?: PodSpec } };
  data?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string; optional?: boolean } } }>;
  volumeMounts?: Array<{ name: string }>;
}

export interface PodSpec {
  serviceAccountName?: string;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string; configMap?: { name: string } }>;
}

/** Every document of a multi-document YAML text; a syntax error anywhere throws with its position. */
export function parseManifest(text: string): ManifestObject[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`document ${i + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as ManifestObject;
  });
}

export const nameOf = (o: ManifestObject): string => String(o.metadata?.name ?? '');
export const namespaceOf = (o: ManifestObject): string => String(o.metadata?.namespace ?? '');

/** The pod template of a Deployment or DaemonSet, with the workload it belongs to. */
export function podTemplates(objects: ManifestObject[]): Array<{ owner: ManifestObject; pod: PodSpec }> {
  return objects
    .filter((o) => (o.kind === 'Deployment' || o.kind === 'DaemonSet') && o.spec?.template?.spec)
    .map((owner) => ({ owner, pod: owner.spec!.template!.spec! }));
}

export const containersOf = (pod: PodSpec): Container[] => [...(pod.initContainers ?? []), ...pod.containers];

// Rewrites the CRD section of resources/templates/common/addons/calico.yaml from src-main/deploy/addon-crds/.
// `src-main/deploy/addon-crds/calico-crds.test.ts` fails while the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALICO_CRDS } from '../src-main/deploy/addon-crds/calico-crds';
import { renderCrdSection, replaceCrdSection } from '../src-main/deploy/addon-crds/render';

const file = join(__dirname, '..', 'resources', 'templates', 'common', 'addons', 'calico.yaml');
writeFileSync(file, replaceCrdSection(readFileSync(file, 'utf8'), renderCrdSection(CALICO_CRDS)));
console.log(`wrote ${CALICO_CRDS.length} CRDs into ${file}`);

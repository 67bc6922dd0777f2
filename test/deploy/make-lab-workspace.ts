// Sets up a lab cluster workspace for trying the deploy by hand: `npx tsx test/deploy/make-lab-workspace.ts DIR [N]`
// (lab hosts must be up: npm run lab -- up N). Then: npm run deploy -- DIR/clusters/lab --waive cgroup2 --stop-after nodes
import { labHosts } from '../lab/lab';
import { prepareLabDeploy } from './lab-cluster';

const [dir, n] = process.argv.slice(2);
if (!dir) {
  console.error('usage: npx tsx test/deploy/make-lab-workspace.ts DIR [N]');
  process.exit(2);
}
const hosts = labHosts().slice(0, Number(n ?? 99));
prepareLabDeploy(hosts, { dataDir: dir }).then(
  (lab) => console.log(`cluster ${lab.cluster.name} on ${hosts.map((h) => h.name).join(', ')} in ${dir}/clusters/lab`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

import { homeMessagesEn } from '../screens/home/messages';
import { promptMessagesEn } from '../app/prompt-messages';
import { bundleMessagesEn } from '../screens/bundle/messages';
import { inventoryMessagesEn } from '../screens/inventory/messages';
import { certificateMessagesEn } from '../screens/certificates/messages';
import { terminalMessagesEn } from '../screens/terminals/messages';
import { topologyMessagesEn } from '../screens/topology/messages';
import { deployMessagesEn } from '../screens/deploy/messages';
import { timingMessagesEn } from '../screens/deploy/timing-messages';
import { operationMessagesEn } from '../screens/operations/messages';
import { aboutMessagesEn } from '../screens/about/messages';

export const en = {
  'app.title': 'Kubesmith',
  'nav.label': 'Screens',
  'nav.inventory': 'Inventory',
  'nav.topology': 'Topology',
  'nav.certificates': 'Certificates',
  'nav.deploy': 'Deploy',
  'nav.operations': 'Operations',
  'nav.terminals': 'Terminals',
  'nav.settings': 'Settings',
  'nav.bundle': 'Offline bundle',
  'status.connecting': 'Connecting to backend…',
  'status.connected': 'Connected',
  'status.disconnected': 'Disconnected — retrying',
  'status.mode.electron': 'Desktop',
  'status.mode.browser': 'Browser mode',
  'status.workspace': 'Workspace: {dir}',
  'cluster.label': 'Cluster',
  'cluster.none': 'No cluster yet',
  'cluster.new': 'New cluster',
  'cluster.newName': 'Name of the new cluster',
  'cluster.create': 'Create',
  'cluster.cancel': 'Cancel',
  'cluster.hosts': '{count} hosts',
  'cluster.broken': 'cannot be opened',
  'repair.title': 'Cluster "{name}" cannot be opened',
  'repair.intro':
    'Its cluster.yaml breaks a rule Kubesmith checks before using any value. Correct the file below and save it: it is written only when every value passes. Certificates, journals and backups are not touched.',
  'repair.loading': 'Reading cluster.yaml…',
  'repair.textLabel': 'Text of cluster.yaml',
  'repair.save': 'Save repaired file',
  'repair.removeTitle': 'Or remove the cluster',
  'repair.removeIntro': 'Removes its folder from this computer: cluster.yaml, certificates, journals and backups. Hosts are not touched.',
  'repair.typeName': 'Type "{name}" to confirm',
  'repair.remove': 'Remove cluster',
  'error.dismiss': 'Dismiss',
  'screen.inventory.intro': 'The machines Kubesmith can reach over SSH.',
  'screen.topology.intro': 'Drag each host onto the etcd, control-plane and worker roles.',
  'screen.certificates.intro': 'The cluster PKI, made on this computer.',
  'screen.deploy.intro': 'Read the plan, then deploy.',
  'screen.operations.intro':
    'Day-2 work on a running cluster: its health, etcd backups, etcd membership, taking hosts out, upgrades and certificate renewal.',
  'screen.terminals.intro': 'A shell on each host.',
  'screen.settings.intro': 'Preferences of this app.',
  'screen.bundle.intro':
    'Binaries and every container image a cluster runs, in one folder for hosts without internet. Point a cluster’s binary source at it (Cluster settings → offline).',
  'screen.empty': 'Nothing here yet.',
  'screen.needCluster': 'Create or pick a cluster first.',
  'settings.language': 'Language',
  'settings.secrets': 'Secret protection',
  'settings.version': 'Version',
  'settings.dataDir': 'Data folder',
  ...promptMessagesEn,
  ...bundleMessagesEn,
  ...terminalMessagesEn,
  ...certificateMessagesEn,
  ...deployMessagesEn,
  ...timingMessagesEn,
  ...operationMessagesEn,
  ...inventoryMessagesEn,
  ...topologyMessagesEn,
  ...aboutMessagesEn,
  ...homeMessagesEn,
} as const;

export type MessageKey = keyof typeof en;

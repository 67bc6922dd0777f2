import { homeMessagesEn } from '../screens/home/messages';
import { promptMessagesEn } from '../app/prompt-messages';
import { inventoryMessagesEn } from '../screens/inventory/messages';
import { certificateMessagesEn } from '../screens/certificates/messages';
import { terminalMessagesEn } from '../screens/terminals/messages';
import { topologyMessagesEn } from '../screens/topology/messages';
import { deployMessagesEn } from '../screens/deploy/messages';
import { operationMessagesEn } from '../screens/operations/messages';

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
  'error.dismiss': 'Dismiss',
  'screen.inventory.intro': 'The machines Kubesmith can reach over SSH.',
  'screen.topology.intro': 'Drag each host onto the etcd, control-plane and worker roles.',
  'screen.certificates.intro': 'The cluster PKI, made on this computer.',
  'screen.deploy.intro': 'Read the plan, then deploy.',
  'screen.operations.intro':
    'Day-2 work on a running cluster: its health, etcd backups, etcd membership, taking hosts out, upgrades and certificate renewal.',
  'screen.terminals.intro': 'A shell on each host.',
  'screen.settings.intro': 'Preferences of this app.',
  'screen.empty': 'Nothing here yet.',
  'screen.needCluster': 'Create or pick a cluster first.',
  'settings.language': 'Language',
  'settings.secrets': 'Secret protection',
  'settings.version': 'Version',
  'settings.dataDir': 'Data folder',
  ...promptMessagesEn,
  ...terminalMessagesEn,
  ...certificateMessagesEn,
  ...deployMessagesEn,
  ...operationMessagesEn,
  ...inventoryMessagesEn,
  ...topologyMessagesEn,
  ...homeMessagesEn,
} as const;

export type MessageKey = keyof typeof en;

import { homeMessagesZh } from '../screens/home/messages';
import { promptMessagesZh } from '../app/prompt-messages';
import { bundleMessagesZh } from '../screens/bundle/messages';
import { inventoryMessagesZh } from '../screens/inventory/messages';
import { certificateMessagesZh } from '../screens/certificates/messages';
import { terminalMessagesZh } from '../screens/terminals/messages';
import { topologyMessagesZh } from '../screens/topology/messages';
import type { MessageKey } from './en';
import { deployMessagesZh } from '../screens/deploy/messages';
import { timingMessagesZh } from '../screens/deploy/timing-messages';
import { operationMessagesZh } from '../screens/operations/messages';
import { aboutMessagesZh } from '../screens/about/messages';

export const zhCN: Record<MessageKey, string> = {
  'app.title': 'Kubesmith',
  'nav.label': '页面',
  'nav.inventory': '主机清单',
  'nav.topology': '拓扑',
  'nav.certificates': '证书',
  'nav.deploy': '部署',
  'nav.operations': '运维',
  'nav.terminals': '终端',
  'nav.settings': '设置',
  'nav.bundle': '离线包',
  'status.connecting': '正在连接后端…',
  'status.connected': '已连接',
  'status.disconnected': '连接已断开，正在重试',
  'status.mode.electron': '桌面版',
  'status.mode.browser': '浏览器模式',
  'status.workspace': '工作区：{dir}',
  'cluster.label': '集群',
  'cluster.none': '尚无集群',
  'cluster.new': '新建集群',
  'cluster.newName': '新集群的名称',
  'cluster.create': '创建',
  'cluster.cancel': '取消',
  'cluster.hosts': '{count} 台主机',
  'cluster.broken': '无法打开',
  'repair.title': '集群“{name}”无法打开',
  'repair.intro':
    '它的 cluster.yaml 违反了 Kubesmith 在使用任何值之前检查的规则。请在下面修正文件并保存：只有所有值都通过检查时才会写入。证书、日志和备份不受影响。',
  'repair.loading': '正在读取 cluster.yaml…',
  'repair.textLabel': 'cluster.yaml 的内容',
  'repair.save': '保存修复后的文件',
  'repair.removeTitle': '或者删除此集群',
  'repair.removeIntro': '从这台计算机删除它的文件夹：cluster.yaml、证书、日志和备份。主机不受影响。',
  'repair.typeName': '输入“{name}”以确认',
  'repair.remove': '删除集群',
  'error.dismiss': '关闭',
  'screen.inventory.intro': 'Kubesmith 可以通过 SSH 访问的机器。',
  'screen.topology.intro': '把每台主机拖到 etcd、控制平面和工作节点角色上。',
  'screen.certificates.intro': '在本机生成的集群 PKI。',
  'screen.deploy.intro': '先阅读计划，再部署。',
  'screen.operations.intro': '运行中集群的日常运维：健康状况、etcd 备份、etcd 成员变更、移出主机、升级和证书更新。',
  'screen.terminals.intro': '每台主机的终端。',
  'screen.settings.intro': '本应用的偏好设置。',
  'screen.bundle.intro':
    '将集群所需的二进制文件和全部容器镜像放进一个文件夹，供无法联网的主机使用。在集群设置中把二进制来源指向它（离线）。',
  'screen.empty': '这里还没有内容。',
  'screen.needCluster': '请先创建或选择一个集群。',
  'settings.language': '语言',
  'settings.secrets': '密钥保护方式',
  'settings.version': '版本',
  'settings.dataDir': '数据目录',
  ...promptMessagesZh,
  ...bundleMessagesZh,
  ...terminalMessagesZh,
  ...certificateMessagesZh,
  ...deployMessagesZh,
  ...timingMessagesZh,
  ...operationMessagesZh,
  ...inventoryMessagesZh,
  ...topologyMessagesZh,
  ...aboutMessagesZh,
  ...homeMessagesZh,
};

/** Texts of the questions the backend asks (host keys, passwords). */
export const promptMessagesEn = {
  'prompt.hostKey.title': 'Trust this host?',
  'prompt.hostKey.body': 'This is the first connection to {host}. Its {keyType} key fingerprint is:',
  'prompt.hostKey.check': 'Compare it with `ssh-keygen -lf /etc/ssh/ssh_host_{algo}_key.pub` run on the host itself.',
  'prompt.hostKey.accept': 'Trust and connect',
  'prompt.hostKey.reject': 'Do not connect',
  'prompt.secret.title': 'Password needed',
  'prompt.secret.passphrase': 'Passphrase for the key of {host}',
  'prompt.secret.password': 'SSH password for {host}',
  'prompt.secret.sudo': 'sudo password on {host}',
  'prompt.secret.ok': 'OK',
  'prompt.secret.cancel': 'Cancel',
  'prompt.secret.note': 'Kept in memory for this session only.',
} as const;

export const promptMessagesZh: Record<keyof typeof promptMessagesEn, string> = {
  'prompt.hostKey.title': '信任此主机吗？',
  'prompt.hostKey.body': '这是第一次连接 {host}。它的 {keyType} 主机密钥指纹是：',
  'prompt.hostKey.check': '请在该主机上运行 `ssh-keygen -lf /etc/ssh/ssh_host_{algo}_key.pub` 进行比对。',
  'prompt.hostKey.accept': '信任并连接',
  'prompt.hostKey.reject': '不要连接',
  'prompt.secret.title': '需要密码',
  'prompt.secret.passphrase': '{host} 所用私钥的口令',
  'prompt.secret.password': '{host} 的 SSH 密码',
  'prompt.secret.sudo': '{host} 上的 sudo 密码',
  'prompt.secret.ok': '确定',
  'prompt.secret.cancel': '取消',
  'prompt.secret.note': '仅在本次会话中保存在内存里。',
};

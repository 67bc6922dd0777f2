/** The Terminals screen's texts. Spread into the app dictionaries in i18n/en.ts and i18n/zh-CN.ts. */
export const terminalMessagesEn = {
  'terminals.tabs': 'Open terminals',
  'terminals.none': 'No terminal open. Use "Open terminal" on a host.',
  'terminals.open': 'Open terminal',
  'terminals.openOn': 'Open a terminal on',
  'terminals.pickHost': 'Pick a host',
  'terminals.close': 'Close {name}',
  'terminals.connecting': 'Connecting to {name}…',
  'terminals.ended': 'Session ended: {reason}',
  'terminals.reconnect': 'Reconnect',
  'terminals.fontSize': 'Font size',
  'terminals.search': 'Search in scrollback',
  'terminals.searchNext': 'Next match',
  'terminals.searchPrev': 'Previous match',
  'terminals.copyHint': 'Select to copy · Ctrl+Shift+C / Ctrl+Shift+V · right-click pastes',
} as const;

export const terminalMessagesZh: Record<keyof typeof terminalMessagesEn, string> = {
  'terminals.tabs': '已打开的终端',
  'terminals.none': '还没有打开的终端。在主机上点击“打开终端”。',
  'terminals.open': '打开终端',
  'terminals.openOn': '在此主机上打开终端',
  'terminals.pickHost': '选择主机',
  'terminals.close': '关闭 {name}',
  'terminals.connecting': '正在连接 {name}…',
  'terminals.ended': '会话已结束：{reason}',
  'terminals.reconnect': '重新连接',
  'terminals.fontSize': '字号',
  'terminals.search': '在回滚缓冲中搜索',
  'terminals.searchNext': '下一个',
  'terminals.searchPrev': '上一个',
  'terminals.copyHint': '选中即复制 · Ctrl+Shift+C / Ctrl+Shift+V · 右键粘贴',
};

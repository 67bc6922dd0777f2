import type { MenuItemConstructorOptions } from 'electron';

/** What the menu's own items do; the standard roles are Electron's. */
export interface MenuActions {
  showAbout(): void;
  checkForUpdates(): void;
  restartToUpdate(): void;
  openDataFolder(): void;
  showLogs(): void;
}

export interface MenuState {
  platform: NodeJS.Platform;
  /** Electron's app.getLocale(): the labels follow the system's language. */
  locale: string;
  /** A downloaded, verified update waits: "Restart to Update" appears. */
  updateReady: boolean;
  /** Reload and developer tools only for the app run from source. */
  packaged: boolean;
}

const LABELS = {
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Kubesmith',
    checkForUpdates: 'Check for Updates…',
    restartToUpdate: 'Restart to Update',
    openDataFolder: 'Open Data Folder',
    showLogs: 'Show Logs',
  },
  'zh-CN': {
    file: '文件',
    edit: '编辑',
    view: '视图',
    window: '窗口',
    help: '帮助',
    about: '关于 Kubesmith',
    checkForUpdates: '检查更新…',
    restartToUpdate: '重启以更新',
    openDataFolder: '打开数据目录',
    showLogs: '显示日志',
  },
} as const satisfies Record<string, Record<string, string>>;

export function menuLabels(locale: string): (typeof LABELS)['en'] | (typeof LABELS)['zh-CN'] {
  return locale.toLowerCase().startsWith('zh') ? LABELS['zh-CN'] : LABELS.en;
}

const separator: MenuItemConstructorOptions = { type: 'separator' };

/**
 * The application menu with the platform's standard roles (Edit must exist for copy and paste to work on macOS):
 * https://www.electronjs.org/docs/latest/api/menu-item#roles
 */
export function appMenuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const l = menuLabels(state.locale);
  const updateItems: MenuItemConstructorOptions[] = [
    { id: 'check-for-updates', label: l.checkForUpdates, click: () => actions.checkForUpdates() },
    ...(state.updateReady ? [{ id: 'restart-to-update', label: l.restartToUpdate, click: () => actions.restartToUpdate() }] : []),
  ];
  const appMenu: MenuItemConstructorOptions = {
    role: 'appMenu',
    submenu: [
      { role: 'about' },
      ...updateItems,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: l.file,
    submenu: [
      { id: 'open-data-folder', label: l.openDataFolder, click: () => actions.openDataFolder() },
      { id: 'show-logs', label: l.showLogs, click: () => actions.showLogs() },
      separator,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: l.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: l.view,
    submenu: [
      ...(state.packaged
        ? []
        : [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, separator]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: l.window,
    role: 'window',
    submenu: [{ role: 'minimize' }, { role: 'zoom' }, ...(mac ? [separator, { role: 'front' } as const] : [{ role: 'close' } as const])],
  };
  const help: MenuItemConstructorOptions = {
    label: l.help,
    role: 'help',
    submenu: [{ id: 'about', label: l.about, click: () => actions.showAbout() }, ...(mac ? [] : updateItems)],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, windowMenu, help];
}

import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, menuLabels, type MenuActions } from './app-menu';

const actions = (): MenuActions => ({
  showAbout: vi.fn(),
  checkForUpdates: vi.fn(),
  restartToUpdate: vi.fn(),
  openDataFolder: vi.fn(),
  showLogs: vi.fn(),
});

const items = (menu: MenuItemConstructorOptions) => menu.submenu as MenuItemConstructorOptions[];
const roles = (menu: MenuItemConstructorOptions) => items(menu).flatMap((i) => (i.role ? [i.role] : []));
const byId = (template: MenuItemConstructorOptions[], id: string) => template.flatMap(items).find((item) => item.id === id);
const base = { locale: 'en-US', updateReady: false, packaged: true };

describe('appMenuTemplate', () => {
  it('has File, Edit with every editing role, View, Window and Help on Linux and Windows', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const template = appMenuTemplate(actions(), { ...base, platform });
      expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      expect(roles(template[1]!)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
      expect(roles(template[0]!)).toContain('quit');
      expect(byId(template, 'check-for-updates')).toBeDefined();
    }
  });

  it('starts with the app menu on macOS (About, Hide, Quit) and keeps Edit for copy and paste', () => {
    const template = appMenuTemplate(actions(), { ...base, platform: 'darwin' });
    expect(template[0]!.role).toBe('appMenu');
    expect(roles(template[0]!)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(items(template[0]!).some((i) => i.id === 'check-for-updates')).toBe(true);
    expect(roles(template[2]!)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
    expect(roles(template[1]!)).toContain('close');
  });

  it('offers Restart to Update only when an update is ready, and each item calls its action', () => {
    const a = actions();
    expect(byId(appMenuTemplate(a, { ...base, platform: 'linux' }), 'restart-to-update')).toBeUndefined();
    const template = appMenuTemplate(a, { ...base, platform: 'linux', updateReady: true });
    const click = (id: string) => (byId(template, id)!.click as () => void)();
    for (const [id, action] of [
      ['restart-to-update', a.restartToUpdate],
      ['check-for-updates', a.checkForUpdates],
      ['open-data-folder', a.openDataFolder],
      ['show-logs', a.showLogs],
      ['about', a.showAbout],
    ] as const) {
      click(id);
      expect(action, id).toHaveBeenCalledOnce();
    }
  });

  it('keeps reload and developer tools out of the packaged app', () => {
    const packaged = appMenuTemplate(actions(), { ...base, platform: 'linux' });
    expect(roles(packaged[2]!)).not.toContain('toggleDevTools');
    const source = appMenuTemplate(actions(), { ...base, platform: 'linux', packaged: false });
    expect(roles(source[2]!)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('labels its own items in Chinese on a Chinese system', () => {
    const template = appMenuTemplate(actions(), { ...base, platform: 'linux', locale: 'zh-CN' });
    expect(template.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '窗口', '帮助']);
    expect(Object.keys(menuLabels('zh-CN'))).toEqual(Object.keys(menuLabels('en')));
  });
});

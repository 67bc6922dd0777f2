import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Reads the shell's own source: the safe defaults only count if the shell really goes through them.
const electronDir = join(__dirname);
const mainSource = readFileSync(join(electronDir, 'main.ts'), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('the Electron shell', () => {
  it('makes every window through secureWindowOptions and guards it', () => {
    const windows = mainSource.match(/new BrowserWindow\(([^)]*)/g) ?? [];
    expect(windows.length).toBeGreaterThan(0);
    for (const call of windows) expect(call).toContain('secureWindowOptions(');
    expect(mainSource).toMatch(/guardWebContents\(win\.webContents/);
    expect(mainSource).toMatch(/denyAllPermissions\(session\.defaultSession\)/);
  });

  it('registers IPC only through the contract and takes the single-instance lock', () => {
    expect(mainSource).toContain('registerApiIpc(ipcMain, backend)');
    expect(mainSource).not.toMatch(/ipcMain\.(on|handle)\(/);
    expect(mainSource).toContain('requestSingleInstanceLock()');
  });

  it('builds the menu from appMenuTemplate, logs to the platform log folder, and updates only an installed app', () => {
    expect(mainSource).toMatch(/Menu\.setApplicationMenu\(Menu\.buildFromTemplate\(appMenuTemplate\(/);
    expect(mainSource).toContain("openLogFile(app.getPath('logs'))");
    expect(mainSource).toContain('if (!app.isPackaged) return undefined;');
    // Every download and install goes through the UpdateController, which waits for running deploys.
    expect(mainSource).toContain('electronUpdaterEngine(autoUpdater, channel)');
    expect(mainSource).not.toMatch(/autoUpdater\.(checkForUpdates|downloadUpdate|quitAndInstall)/);
  });

  it('logs crashes and unhandled rejections instead of swallowing them', () => {
    expect(mainSource).toMatch(/process\.on\('uncaughtException'/);
    expect(mainSource).toMatch(/process\.on\('unhandledRejection'/);
  });

  it('is the only place that imports electron, and never hands renderer strings to a shell', () => {
    const root = join(electronDir, '..', '..');
    for (const dir of ['src-main', 'src-shared', 'src-renderer']) {
      for (const file of sourceFiles(join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        const importsElectron = /from 'electron'|require\('electron'\)/.test(text);
        if (importsElectron) expect(file.startsWith(electronDir), file).toBe(true);
      }
    }
    for (const file of sourceFiles(electronDir)) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/child_process|execSync|spawn\(/);
    }
  });
});

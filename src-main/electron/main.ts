import { app, BrowserWindow, ipcMain, protocol, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { createBackend, type Backend } from '../backend';
import { parseServeArgs } from '../server/cli-args';
import { serveBrowserMode } from '../server/serve';
import { plainCipher } from '../store/secret-cipher';
import { APP_VERSION } from '../version';
import { APP_SCHEME_PRIVILEGES, serveRendererOverAppProtocol } from './app-protocol';
import { forwardEvents, registerApiIpc } from './ipc';
import { safeStorageCipher } from './safe-storage-cipher';
import { denyAllPermissions, guardWebContents } from './window-guards';
import { APP_ORIGIN, secureWindowOptions } from './window-options';

// The shell only wires things up: all behaviour lives in plain Node modules that run without Electron.
const rendererDir = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, '..', 'preload', 'preload.js');
const serveIndex = process.argv.indexOf('--serve');

if (serveIndex >= 0) {
  app.dock?.hide();
  void app.whenReady().then(() =>
    serveBrowserMode(parseServeArgs(process.argv.slice(serveIndex)), rendererDir).catch((err: unknown) => {
      console.error((err as Error).message);
      app.exit(1);
    }),
  );
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  let backend: Backend | undefined;
  let mainWindow: BrowserWindow | undefined;

  const createWindow = () => {
    mainWindow = new BrowserWindow(secureWindowOptions(preloadPath, { width: 1280, height: 820 }));
    guardWebContents(mainWindow.webContents);
    if (backend) forwardEvents(backend, mainWindow.webContents);
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  };

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession);
    serveRendererOverAppProtocol(protocol, rendererDir);
    let cipher = plainCipher;
    try {
      cipher = safeStorageCipher(safeStorage);
    } catch (err) {
      console.error((err as Error).message);
    }
    backend = createBackend({ dataDir: app.getPath('userData'), mode: 'electron', version: APP_VERSION, cipher });
    registerApiIpc(ipcMain, backend);
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void backend?.close());
}

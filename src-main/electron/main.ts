import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import { autoUpdater } from 'electron-updater';
import { join } from 'node:path';
import { createBackend, type Backend } from '../backend';
import { crashSummary, logCrash } from '../crash-log';
import { parseServeArgs } from '../server/cli-args';
import { serveBrowserMode } from '../server/serve';
import { plainCipher } from '../store/secret-cipher';
import { electronUpdaterEngine } from '../updates/electron-updater-engine';
import { UpdateController, type Updates } from '../updates/update-controller';
import { channelOf } from '../updates/versions';
import { APP_VERSION } from '../version';
import { aboutPanelOptions } from './about-panel';
import { appMenuTemplate, type MenuActions } from './app-menu';
import { APP_SCHEME_PRIVILEGES, serveRendererOverAppProtocol } from './app-protocol';
import { forwardEvents, registerApiIpc } from './ipc';
import { openLogFile, type LogFile } from './log-file';
import { safeStorageCipher } from './safe-storage-cipher';
import { denyAllPermissions, guardWebContents, type ExternalLinkPolicy } from './window-guards';
import { APP_ORIGIN, secureWindowOptions } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';

// The shell only wires things up: all behaviour lives in plain Node modules that run without Electron.
const rendererDir = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, '..', 'preload', 'preload.js');
const serveIndex = process.argv.indexOf('--serve');

// An AppImage is mounted without setuid, so Chromium's setuid sandbox cannot start; the namespace sandbox still runs.
if (process.platform === 'linux' && process.env.APPIMAGE) app.commandLine.appendSwitch('disable-setuid-sandbox');

const reportCrash = (kind: string) => (err: unknown) => {
  void logCrash(app.getPath('logs'), kind, err).then((file) => {
    if (app.isReady()) dialog.showErrorBox('Kubesmith hit an unexpected error', `${crashSummary(err)}\n\nDetails were written to ${file}.`);
  });
};
process.on('uncaughtException', reportCrash('uncaughtException'));
process.on('unhandledRejection', reportCrash('unhandledRejection'));

if (serveIndex >= 0) {
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
  const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');

  // Only an installed app updates itself; one run from source (npm start) says so on its About screen.
  const makeUpdates = (logFile: LogFile): Updates | undefined => {
    if (!app.isPackaged) return undefined;
    const channel = channelOf(APP_VERSION) === 'beta' ? 'beta' : 'latest';
    autoUpdater.logger = {
      info: (m: unknown) => logFile.write('info', `updater: ${String(m)}`),
      warn: (m: unknown) => logFile.write('warn', `updater: ${String(m)}`),
      error: (m: unknown) => logFile.write('error', `updater: ${String(m)}`),
    };
    return new UpdateController({
      engine: electronUpdaterEngine(autoUpdater, channel),
      currentVersion: APP_VERSION,
      channel,
      activeRuns: () => backend?.activeRuns() ?? [],
    });
  };

  const showAbout = () => {
    backend?.events.emit('app.show', { screen: 'about' });
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  };
  const menuActions: MenuActions = {
    showAbout,
    checkForUpdates: () => {
      showAbout();
      void backend?.context.updates.check();
    },
    restartToUpdate: () => {
      try {
        backend?.context.updates.restartToUpdate();
      } catch (err) {
        const hint = (err as { hint?: string }).hint;
        void dialog.showMessageBox({ type: 'info', message: (err as Error).message, ...(hint ? { detail: hint } : {}) });
      }
    },
    openDataFolder: () => void shell.openPath(app.getPath('userData')),
    showLogs: () => void shell.openPath(app.getPath('logs')),
  };
  const refreshMenu = () => {
    const state = {
      platform: process.platform,
      locale: app.getLocale(),
      updateReady: backend?.context.updates.status().phase === 'ready',
      packaged: app.isPackaged,
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(menuActions, state)));
  };

  const externalLinks: ExternalLinkPolicy = {
    confirm: async (url) => {
      const options = {
        type: 'question' as const,
        buttons: ['Open in browser', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: 'Open this link in your browser?',
        detail: url,
      };
      const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return response === 0;
    },
    open: (url) => shell.openExternal(url),
  };

  const createWindow = async () => {
    const state = await loadWindowState(
      windowStateFile(),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow(secureWindowOptions(preloadPath, state));
    mainWindow = win;
    if (state.maximized) win.maximize();
    guardWebContents(win.webContents, externalLinks);
    if (backend) {
      const stopForwarding = forwardEvents(backend, win.webContents);
      win.on('closed', stopForwarding);
    }
    win.on('close', () => void saveWindowState(windowStateFile(), win.getNormalBounds(), win.isMaximized()));
    win.once('ready-to-show', () => win.show());
    win.webContents.on('render-process-gone', (_e, details) => reportCrash('render-process-gone')(new Error(details.reason)));
    await win.loadURL(`${APP_ORIGIN}/index.html`);
  };

  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });

  void app.whenReady().then(async () => {
    const logFile = openLogFile(app.getPath('logs'));
    logFile.write('info', `Kubesmith ${APP_VERSION} starting (Electron ${process.versions.electron}, ${process.platform}-${process.arch})`);
    app.setAboutPanelOptions(aboutPanelOptions(APP_VERSION, process.versions));
    denyAllPermissions(session.defaultSession);
    serveRendererOverAppProtocol(protocol, rendererDir);
    let cipher = plainCipher;
    try {
      cipher = safeStorageCipher(safeStorage);
    } catch (err) {
      logFile.write('warn', (err as Error).message);
      console.error((err as Error).message);
    }
    const updates = makeUpdates(logFile);
    backend = createBackend({
      dataDir: app.getPath('userData'),
      mode: 'electron',
      version: APP_VERSION,
      cipher,
      log: (msg) => {
        logFile.write('error', msg);
        console.error(msg);
      },
      ...(updates ? { updates } : {}),
    });
    registerApiIpc(ipcMain, backend);
    refreshMenu();
    let lastPhase = backend.context.updates.status().phase;
    backend.context.updates.subscribe((status) => {
      if (status.phase !== lastPhase) refreshMenu();
      lastPhase = status.phase;
    });
    await createWindow();
    // Checks at start; it downloads in the background and never restarts on its own.
    if (updates) void updates.check();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void backend?.close());
}

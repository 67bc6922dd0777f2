import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, request, type RequestOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BaseUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import type { DownloadUpdateOptions } from 'electron-updater/out/AppUpdater';
import type { InstallOptions } from 'electron-updater/out/BaseUpdater';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { findFile } from 'electron-updater/out/providers/Provider';
import { stringify } from 'yaml';

export interface FeedRelease {
  version: string;
  /** The installer's bytes as served. */
  body: Buffer;
  /** What the feed publishes as its SHA-512 (base64, as electron-builder writes it); by default the real one. */
  sha512?: string;
  releaseNotes?: string;
}

// The feed file name electron-updater asks for on this machine (electron-updater/out/providers/Provider.js, getChannelFilePrefix).
const channelSuffix =
  process.platform === 'darwin' ? '-mac' : process.platform === 'win32' ? '' : `-linux${process.arch === 'x64' ? '' : `-${process.arch}`}`;

export const sha512 = (body: Buffer) => createHash('sha512').update(body).digest('base64');

/**
 * An update feed as electron-builder publishes it (latest.yml / beta.yml beside the installer), served on loopback.
 * https://www.electron.build/auto-update (the generic provider reads `<channel>.yml`, then the file it names).
 */
export async function serveFeed(releases: Partial<Record<'latest' | 'beta', FeedRelease>>) {
  const requests: string[] = [];
  const files = new Map<string, Buffer>();
  for (const [channel, release] of Object.entries(releases)) {
    const name = `Kubesmith-${release.version}.AppImage`;
    const hash = release.sha512 ?? sha512(release.body);
    const info = {
      version: release.version,
      files: [{ url: name, sha512: hash, size: release.body.length }],
      path: name,
      sha512: hash,
      releaseDate: '2026-12-01T00:00:00.000Z',
      ...(release.releaseNotes ? { releaseNotes: release.releaseNotes } : {}),
    };
    files.set(`/${channel}${channelSuffix}.yml`, Buffer.from(stringify(info)));
    files.set(`/${name}`, release.body);
  }
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const body = files.get(path);
    if (!body) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type ElectronRequest = ReturnType<ElectronHttpExecutor['createRequest']>;

/** electron-updater's own download (and its SHA-512 DigestTransform), over Node's http instead of Electron's net. */
class LoopbackHttpExecutor extends ElectronHttpExecutor {
  override createRequest(options: RequestOptions, callback: (response: unknown) => void): ElectronRequest {
    return request(options, callback) as unknown as ElectronRequest;
  }
}

/**
 * electron-updater's own check, download and SHA-512 verification (BaseUpdater), over plain Node http instead of
 * Electron's net module. Only the platform step is replaced: "installing" records the verified file it was given.
 */
export class LoopbackUpdater extends BaseUpdater {
  readonly installed: string[] = [];
  private readonly http: LoopbackHttpExecutor;

  static async create(dir: string, feedUrl: string, version: string): Promise<LoopbackUpdater> {
    await mkdir(join(dir, 'cache'), { recursive: true });
    const configPath = join(dir, 'app-update.yml');
    await writeFile(configPath, stringify({ provider: 'generic', url: feedUrl, updaterCacheDirName: 'kubesmith-updater' }));
    const app: AppAdapter = {
      version,
      name: 'Kubesmith',
      isPackaged: true,
      appUpdateConfigPath: configPath,
      userDataPath: dir,
      baseCachePath: join(dir, 'cache'),
      whenReady: () => Promise.resolve(),
      relaunch: () => {},
      quit: () => {},
      onQuit: () => {},
    };
    return new LoopbackUpdater(feedUrl, app);
  }

  private constructor(feedUrl: string, app: AppAdapter) {
    super(null, app);
    // Set before the feed: the provider takes the executor when it is made.
    this.http = new LoopbackHttpExecutor();
    (this as unknown as { httpExecutor: ElectronHttpExecutor }).httpExecutor = this.http;
    this.logger = null;
    this.setFeedURL({ provider: 'generic', url: feedUrl });
  }

  protected doDownloadUpdate(options: DownloadUpdateOptions) {
    const provider = options.updateInfoAndProvider.provider;
    const fileInfo = findFile(provider.resolveFiles(options.updateInfoAndProvider.info), 'AppImage')!;
    return this.executeDownload({
      fileExtension: 'AppImage',
      fileInfo,
      downloadUpdateOptions: options,
      task: async (updateFile, downloadOptions) => {
        await this.http.download(fileInfo.url, updateFile, downloadOptions);
      },
    });
  }

  protected doInstall(_options: InstallOptions): boolean {
    this.installed.push(this.installerPath ?? '');
    return true;
  }

  // The real one then quits through Electron's app; here installing is the whole of it.
  override quitAndInstall(isSilent = false, isForceRunAfter = false): void {
    this.install(isSilent, isForceRunAfter);
  }
}

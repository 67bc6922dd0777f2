import { createBackend } from '../backend';
import { defaultDataDir } from '../data-dir';
import { APP_VERSION } from '../version';
import type { ServeArgs } from './cli-args';
import { startBrowserServer, type BrowserServer } from './browser-server';
import { generateToken } from './token';

/** Starts browser mode and says where it is. Shared by `npm run serve` and the app's --serve flag. */
export async function serveBrowserMode(args: ServeArgs, rendererDir: string): Promise<BrowserServer> {
  const dataDir = args.dataDir ?? defaultDataDir();
  const backend = createBackend({ dataDir, mode: 'browser', version: APP_VERSION });
  const server = await startBrowserServer({ backend, rendererDir, token: generateToken(), host: args.host, port: args.port });
  if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
    console.warn(`Warning: listening on ${args.host}, reachable from other machines. Anyone with the URL below controls your clusters.`);
  }
  console.log(`Kubesmith ${APP_VERSION} (browser mode), workspace ${dataDir}`);
  console.log(`Open: ${server.url}`);
  const shutdown = () => {
    void server
      .close()
      .then(() => backend.close())
      .then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return server;
}

import { join } from 'node:path';
import { KubesmithError } from '../../src-shared/errors';
import { parseServeArgs } from './cli-args';
import { serveBrowserMode } from './serve';

// Built to out/main/serve.js; the renderer is built beside it in out/renderer.
const rendererDir = join(__dirname, '..', 'renderer');

serveBrowserMode(parseServeArgs(process.argv.slice(2)), rendererDir).catch((err: unknown) => {
  if (err instanceof KubesmithError) {
    console.error(`${err.message}${err.hint ? `\n${err.hint}` : ''}`);
  } else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('That port is already in use. Pick another with --port, or 0 for any free port.');
  } else {
    console.error(`Kubesmith could not start: ${(err as Error).message}`);
  }
  process.exit(1);
});

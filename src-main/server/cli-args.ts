import { KubesmithError } from '../../src-shared/errors';

export interface ServeArgs {
  host: string;
  port: number;
  dataDir?: string;
}

const USAGE = 'Usage: kubesmith --serve [--host 127.0.0.1] [--port 0] [--data-dir DIR]';

/** Parses browser mode's flags. Unknown flags are an error, so a typo never silently binds elsewhere. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = { host: '127.0.0.1', port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--serve') continue;
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new KubesmithError('InvalidArguments', `${name} needs a value.`, USAGE);
    switch (name) {
      case '--host':
        args.host = value;
        break;
      case '--port': {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          throw new KubesmithError('InvalidArguments', `--port must be a number from 0 to 65535, not "${value}".`, USAGE);
        }
        args.port = port;
        break;
      }
      case '--data-dir':
        args.dataDir = value;
        break;
      default:
        throw new KubesmithError('InvalidArguments', `Unknown option ${name}.`, USAGE);
    }
  }
  return args;
}

import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where browser mode keeps its workspace when not told: the XDG data folder, as desktop apps on Linux do. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KUBESMITH_DATA_DIR) return env.KUBESMITH_DATA_DIR;
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'kubesmith');
}

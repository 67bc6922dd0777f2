import { sh } from '../../ssh/shell';
import { octalMode, type HostTransport, type RemoteExecOptions } from './transport';
import { sha256AndModeOf } from '../../ssh/host-sha256';

/**
 * Whether the host already holds `path` with these bytes, as every way of sending a file checks first: when it does,
 * only a wrong mode is corrected and nothing moves.
 */
export async function presentOnHost(
  t: Pick<HostTransport, 'exec'>,
  path: string,
  sha256: string,
  mode: number,
  opts: RemoteExecOptions,
): Promise<boolean> {
  const state = await t.exec(sha256AndModeOf(path, 'large').command, opts);
  const [remoteSha, remoteMode] = state.stdout.trim().split('\n');
  if (remoteSha !== sha256) return false;
  if (remoteMode === undefined || parseInt(remoteMode, 8) !== (mode & 0o7777))
    await t.exec(sh`chmod ${octalMode(mode)} ${path}`.command, opts);
  return true;
}

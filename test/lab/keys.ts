import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { KEY_PATH } from './config';
import { runOk } from './exec';

/** The lab's own key pair, kept with the image cache; its public half is baked into the image. */
export async function ensureLabKey(): Promise<{ privateKeyPath: string; publicKey: string }> {
  if (!existsSync(KEY_PATH)) {
    mkdirSync(dirname(KEY_PATH), { recursive: true });
    await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kubesmith-lab', '-f', KEY_PATH]);
  }
  return { privateKeyPath: KEY_PATH, publicKey: readFileSync(`${KEY_PATH}.pub`, 'utf8').trim() };
}

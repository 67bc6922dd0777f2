import { KubesmithError } from '../../src-shared/errors';
import type { SecretCipher } from '../store/secret-cipher';

/** Suffix of a private key or kubeconfig sealed by a cipher that encrypts at rest. */
export const ENCRYPTED_SUFFIX = '.enc';
export const SECRET_FILE_MODE = 0o600;
export const PUBLIC_FILE_MODE = 0o644;

/** Where a secret is written with this cipher: "ca.key" in the clear, "ca.key.enc" when sealed. */
export function secretDiskPath(path: string, cipher: SecretCipher): string {
  return cipher.encryptsAtRest ? `${path}${ENCRYPTED_SUFFIX}` : path;
}

/** Both names a secret may have on disk; a folder made in browser mode may later be opened by the desktop app. */
export function secretDiskVariants(path: string): { plain: string; sealed: string } {
  return { plain: path, sealed: `${path}${ENCRYPTED_SUFFIX}` };
}

export function sealSecret(text: string, cipher: SecretCipher): Buffer {
  return cipher.encrypt(Buffer.from(text, 'utf8'));
}

/** The text of a secret file; refuses a sealed file when this cipher cannot open it. */
export function openSecret(bytes: Buffer, sealed: boolean, cipher: SecretCipher, displayPath: string): string {
  if (!sealed) return bytes.toString('utf8');
  if (!cipher.encryptsAtRest) {
    throw new KubesmithError(
      'PkiSecretsEncrypted',
      `${displayPath} is encrypted with the system keychain, which this session cannot use.`,
      'Open this cluster in the Kubesmith desktop app, where the keychain is available.',
      { path: displayPath },
    );
  }
  try {
    return cipher.decrypt(bytes).toString('utf8');
  } catch {
    throw new KubesmithError(
      'PkiSecretUnreadable',
      `${displayPath} cannot be decrypted with this system's keychain.`,
      'It was probably encrypted on another computer or by another user account. Restore the pki folder there, or move it away to start a new PKI.',
      { path: displayPath },
    );
  }
}

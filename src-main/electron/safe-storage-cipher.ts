import type { SafeStorage } from 'electron';
import { KubesmithError } from '../../src-shared/errors';
import type { SecretCipher } from '../store/secret-cipher';

/** Secrets sealed with the OS keychain (Keychain, DPAPI, libsecret/kwallet) through Electron's safeStorage. */
export function safeStorageCipher(safeStorage: SafeStorage): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new KubesmithError(
      'NoKeychain',
      'This system offers no keychain, so Kubesmith cannot encrypt secrets at rest.',
      'Install and unlock a keyring (GNOME Keyring or KWallet), then restart Kubesmith.',
    );
  }
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os';
  if (backend === 'basic_text') {
    throw new KubesmithError(
      'NoKeychain',
      'Only the plain-text fallback of safeStorage is available.',
      'Install and unlock a keyring (GNOME Keyring or KWallet), then restart Kubesmith.',
    );
  }
  return {
    description: `Encrypted with your system keychain (${backend}).`,
    encryptsAtRest: true,
    // base64 keeps binary secrets intact through safeStorage's string API.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

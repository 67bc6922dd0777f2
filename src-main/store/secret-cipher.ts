/**
 * How secrets (passwords, passphrases, private keys) are protected at rest.
 * The Electron shell supplies one backed by safeStorage; browser mode has none
 * by default, so secrets stay in memory and private keys rely on file mode 0600.
 */
export interface SecretCipher {
  /** Shown to the user so they know how their keys are protected. */
  readonly description: string;
  readonly encryptsAtRest: boolean;
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

/** No encryption: data is stored as is, protected only by file permissions. */
export const plainCipher: SecretCipher = {
  description: 'Stored unencrypted on disk, readable only by your user (mode 0600).',
  encryptsAtRest: false,
  encrypt: (plain) => plain,
  decrypt: (sealed) => sealed,
};

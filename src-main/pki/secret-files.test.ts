import { describe, expect, it } from 'vitest';
import { plainCipher } from '../store/secret-cipher';
import { openSecret, sealSecret, secretDiskPath, secretDiskVariants } from './secret-files';
import { reversingCipher } from '../../test/support/pki-fixtures';

describe('secret files', () => {
  it('names sealed secrets with .enc and keeps plain ones as they are', () => {
    expect(secretDiskPath('ca.key', plainCipher)).toBe('ca.key');
    expect(secretDiskPath('ca.key', reversingCipher)).toBe('ca.key.enc');
    expect(secretDiskVariants('kubeconfig/admin.conf')).toEqual({ plain: 'kubeconfig/admin.conf', sealed: 'kubeconfig/admin.conf.enc' });
  });

  it('seals and opens through the cipher', () => {
    const sealed = sealSecret('-----BEGIN RSA PRIVATE KEY-----', reversingCipher);
    expect(sealed.toString()).not.toContain('BEGIN');
    expect(openSecret(sealed, true, reversingCipher, 'ca.key.enc')).toBe('-----BEGIN RSA PRIVATE KEY-----');
    expect(openSecret(Buffer.from('plain'), false, reversingCipher, 'ca.key')).toBe('plain');
  });

  it('explains a sealed file it cannot open', () => {
    const sealed = sealSecret('secret', reversingCipher);
    expect(() => openSecret(sealed, true, plainCipher, '/p/ca.key.enc')).toThrow(expect.objectContaining({ name: 'PkiSecretsEncrypted' }));
    expect(() => openSecret(Buffer.from('junk'), true, reversingCipher, '/p/ca.key.enc')).toThrow(
      expect.objectContaining({ name: 'PkiSecretUnreadable' }),
    );
  });
});

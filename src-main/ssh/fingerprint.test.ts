import { describe, expect, it } from 'vitest';
import { keyTypeOfBlob, sha256Fingerprint } from './fingerprint';

// A real ed25519 public key and the fingerprint `ssh-keygen -lf` printed for it.
const ED25519_BASE64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIEFDZ3dtvRthU0zKtEY9Y52dsl39DsAwnmLAO0Bd5nVt';
const ED25519_FINGERPRINT = 'SHA256:Ek9ChTYR7X2TYQuzWVv4tKYa1Q4WcZj+x0sV3WMX7xU';

describe('sha256Fingerprint', () => {
  it('matches ssh-keygen -lf, without base64 padding', () => {
    const fp = sha256Fingerprint(Buffer.from(ED25519_BASE64, 'base64'));
    expect(fp).toBe(ED25519_FINGERPRINT);
    expect(fp).not.toContain('=');
  });
});

describe('keyTypeOfBlob', () => {
  it('reads the algorithm name', () => {
    expect(keyTypeOfBlob(Buffer.from(ED25519_BASE64, 'base64'))).toBe('ssh-ed25519');
  });

  it('rejects garbage', () => {
    expect(() => keyTypeOfBlob(Buffer.from([0, 0, 0]))).toThrow();
    expect(() => keyTypeOfBlob(Buffer.from([0xff, 0xff, 0xff, 0xff, 1]))).toThrow();
  });
});

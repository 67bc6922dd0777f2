import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from './external-links';

describe('isSafeExternalUrl', () => {
  it('allows https only', () => {
    expect(isSafeExternalUrl('https://kubernetes.io/docs/')).toBe(true);
    for (const url of [
      'http://kubernetes.io',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://user:pw@host/',
      'app://kubesmith/',
      'nonsense',
      'http://localhost:8080/',
      'http://127.0.0.1/',
      'http://10.231.0.11:4466/',
      'http://u:p@127.0.0.1:8080/',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('allows the loopback tunnel URLs the app opens itself (http://127.0.0.1:PORT)', () => {
    expect(isSafeExternalUrl('http://127.0.0.1:40123/')).toBe(true);
  });
});

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
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});

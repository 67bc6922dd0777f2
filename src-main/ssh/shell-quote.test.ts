import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './shell-quote';

describe('shellQuote', () => {
  it('leaves plain words alone and survives a real shell round trip', () => {
    expect(shellQuote('/etc/kubernetes/admin.conf')).toBe('/etc/kubernetes/admin.conf');
    for (const word of ["it's", '$(rm -rf /)', 'a b\nc', '"', '', '你好', '-n']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(word)}`]).toString()).toBe(word);
    }
  });
});

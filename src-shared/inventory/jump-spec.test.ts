import { describe, expect, it } from 'vitest';
import { isJumpSpec } from './jump-spec';

describe('isJumpSpec', () => {
  it('accepts what OpenSSH ProxyJump takes', () => {
    for (const ok of ['bastion', 'admin@bastion.lab', 'admin@10.0.0.1:2222', '[fd00::1]:22', 'a@[fd00::1]', 'jump1,admin@jump2:2200']) {
      expect(isJumpSpec(ok), ok).toBe(true);
    }
  });
  it('refuses the rest', () => {
    for (const bad of ['', '@host', 'host:0', 'host:99999', 'fd00::1', '[bastion]:22', 'user@', 'a b', 'jump1,,jump2']) {
      expect(isJumpSpec(bad), bad).toBe(false);
    }
  });
});

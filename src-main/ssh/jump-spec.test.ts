import { describe, expect, it } from 'vitest';
import { formatHop, parseJumpSpec } from './jump-spec';

describe('parseJumpSpec', () => {
  it('reads one or more hops', () => {
    expect(parseJumpSpec('admin@bastion.lab:2222')).toEqual([{ user: 'admin', host: 'bastion.lab', port: 2222 }]);
    expect(parseJumpSpec('10.231.0.1, ops@10.231.0.2')).toEqual([
      { user: undefined, host: '10.231.0.1', port: 22 },
      { user: 'ops', host: '10.231.0.2', port: 22 },
    ]);
    expect(parseJumpSpec('ssh://me@[fd00::1]:2200')).toEqual([{ user: 'me', host: 'fd00::1', port: 2200 }]);
  });

  it('explains what is wrong', () => {
    expect(() => parseJumpSpec('')).toThrow(/empty/);
    expect(() => parseJumpSpec('a@b:99999')).toThrow(/invalid port/);
    expect(() => parseJumpSpec('fd00::1')).toThrow(/brackets/);
    expect(() => parseJumpSpec('@host')).toThrow(/empty user/);
  });

  it('formats hops back', () => {
    expect(formatHop({ user: 'a', host: 'fd00::1', port: 22 })).toBe('a@[fd00::1]:22');
    expect(formatHop({ user: undefined, host: 'h', port: 2 })).toBe('h:2');
  });
});

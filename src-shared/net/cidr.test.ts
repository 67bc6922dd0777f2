import { describe, expect, it } from 'vitest';
import { cidrContains, cidrsOverlap, formatCidr, hostBits, parseCidr, type Cidr } from './cidr';
import { parseIp } from './ip';

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.problem}`);
  return parsed.cidr;
};

describe('parseCidr', () => {
  it('reads IPv4 and IPv6 blocks', () => {
    expect(cidr('10.96.0.0/12')).toEqual({ family: 4, network: 0x0a600000n, prefix: 12 });
    expect(formatCidr(cidr('fd00:10:96::/108'))).toBe('fd00:10:96::/108');
    expect(hostBits(cidr('10.244.0.0/16'))).toBe(16);
  });
  it('says what is wrong, and suggests the network when host bits are set', () => {
    expect(parseCidr('10.96.0.0')).toEqual({ ok: false, problem: 'syntax' });
    expect(parseCidr('10.96.0/12')).toEqual({ ok: false, problem: 'syntax' });
    expect(parseCidr('10.96.0.0/33')).toEqual({ ok: false, problem: 'prefix' });
    expect(parseCidr('fd00::/129')).toEqual({ ok: false, problem: 'prefix' });
    expect(parseCidr('10.96.0.0/012')).toEqual({ ok: false, problem: 'prefix' });
    expect(parseCidr('10.96.0.1/12')).toEqual({ ok: false, problem: 'hostBits', suggestion: '10.96.0.0/12' });
    expect(parseCidr('fd00::1/64')).toEqual({ ok: false, problem: 'hostBits', suggestion: 'fd00::/64' });
  });
});

describe('cidrContains and cidrsOverlap', () => {
  it('knows which addresses a block holds', () => {
    expect(cidrContains(cidr('10.96.0.0/12'), parseIp('10.100.1.1')!)).toBe(true);
    expect(cidrContains(cidr('10.96.0.0/12'), parseIp('10.112.0.0')!)).toBe(false);
    expect(cidrContains(cidr('fd00::/8'), parseIp('fd12::1')!)).toBe(true);
    expect(cidrContains(cidr('0.0.0.0/0'), parseIp('::1')!)).toBe(false);
  });
  it('finds overlaps either way round, never across families', () => {
    expect(cidrsOverlap(cidr('10.0.0.0/8'), cidr('10.244.0.0/16'))).toBe(true);
    expect(cidrsOverlap(cidr('10.244.0.0/16'), cidr('10.0.0.0/8'))).toBe(true);
    expect(cidrsOverlap(cidr('10.244.0.0/16'), cidr('10.96.0.0/12'))).toBe(false);
    expect(cidrsOverlap(cidr('fd00:10:244::/56'), cidr('fd00:10:244:1::/64'))).toBe(true);
    expect(cidrsOverlap(cidr('0.0.0.0/0'), cidr('::/0'))).toBe(false);
  });
});

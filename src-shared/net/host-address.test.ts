import { describe, expect, it } from 'vitest';
import { classifyAddress, isDnsName, isSanName, normalizeAddress } from './host-address';

describe('host addresses', () => {
  it('tells IPv4, IPv6 and DNS names apart and refuses the rest', () => {
    expect(classifyAddress('192.168.50.20')).toBe('ipv4');
    expect(classifyAddress('fd00::20')).toBe('ipv6');
    expect(classifyAddress('node1.home.lab')).toBe('dns');
    expect(classifyAddress('nas')).toBe('dns');
    for (const bad of ['192.168.50.300', '192.168.50', 'under_score.lab', '-lead.lab', 'a b', 'x'.repeat(64), '']) {
      expect(classifyAddress(bad), bad).toBeUndefined();
    }
  });

  it('accepts a wildcard only in SANs', () => {
    expect(isDnsName('*.apps.lab')).toBe(false);
    expect(isSanName('*.apps.lab')).toBe(true);
    expect(isSanName('api.lab')).toBe(true);
  });

  it('normalises spelling so the same machine compares equal', () => {
    expect(normalizeAddress('FD00::0001')).toBe('fd00::1');
    expect(normalizeAddress('NAS.Lan.')).toBe('nas.lan');
    expect(isDnsName('nas.lan.')).toBe(true);
  });
});

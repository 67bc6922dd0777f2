import { describe, expect, it } from 'vitest';
import { formatIp, parseIPv4, parseIPv6, parseIp } from './ip';

describe('parseIPv4', () => {
  it('reads dotted quads', () => {
    expect(parseIPv4('192.168.50.20')).toBe(0xc0a83214n);
    expect(parseIPv4('0.0.0.0')).toBe(0n);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffffn);
  });
  it('refuses anything else, including leading zeros', () => {
    for (const bad of ['192.168.50', '192.168.50.256', '192.168.050.1', '1.2.3.4.5', '1..2.3', ' 1.2.3.4', 'a.b.c.d', '']) {
      expect(parseIPv4(bad), bad).toBeUndefined();
    }
  });
});

describe('parseIPv6', () => {
  it('reads full, compressed and dotted-quad forms', () => {
    expect(parseIPv6('::')).toBe(0n);
    expect(parseIPv6('::1')).toBe(1n);
    expect(parseIPv6('fd00::1')).toBe((0xfd00n << 112n) | 1n);
    expect(parseIPv6('2001:db8:0:0:0:0:0:1')).toBe(parseIPv6('2001:db8::1'));
    expect(parseIPv6('::ffff:192.0.2.1')).toBe((0xffffn << 32n) | 0xc0000201n);
    expect(parseIPv6('64:ff9b::1.2.3.4')).toBe((0x64n << 112n) | (0xff9bn << 96n) | 0x01020304n);
  });
  it('refuses malformed text', () => {
    for (const bad of ['1::2::3', '12345::', 'fd00::1%eth0', 'g::1', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '::1.2.3', ':1:2', '']) {
      expect(parseIPv6(bad), bad).toBeUndefined();
    }
  });
});

describe('formatIp', () => {
  it('prints the canonical spelling (RFC 5952 for IPv6)', () => {
    const round = (s: string) => formatIp(parseIp(s)!);
    expect(round('10.0.0.1')).toBe('10.0.0.1');
    expect(round('FD00:0:0:0:0:0:0:0001')).toBe('fd00::1');
    expect(round('2001:db8:0:1:0:0:0:1')).toBe('2001:db8:0:1::1');
    expect(round('2001:db8:1:1:1:1:0:1')).toBe('2001:db8:1:1:1:1:0:1');
    expect(round('::')).toBe('::');
  });
});

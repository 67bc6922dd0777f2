import { describe, expect, it } from 'vitest';
import { collectSans, firstServiceIp, httpsUrl, httpsUrlHost, isNodeName, parseName } from './sans';

describe('parseName', () => {
  it('accepts IPv4, IPv6 (canonicalised) and DNS names (lower-cased, leading wildcard allowed)', () => {
    expect(parseName('192.168.50.10')).toEqual({ kind: 'ip', value: '192.168.50.10' });
    expect(parseName('FD00:0:0::0001')).toEqual({ kind: 'ip', value: 'fd00::1' });
    expect(parseName('[::1]')).toEqual({ kind: 'ip', value: '::1' });
    expect(parseName(' Api.Lab.Example ')).toEqual({ kind: 'dns', value: 'api.lab.example' });
    expect(parseName('*.apps.lab.example')).toEqual({ kind: 'dns', value: '*.apps.lab.example' });
    expect(parseName('localhost')).toEqual({ kind: 'dns', value: 'localhost' });
  });

  it.each([
    '',
    '10.0.0.300',
    '1.2.3',
    'under_score.lab',
    '-lead.lab',
    'trail-.lab',
    'a..b',
    '*.com',
    'a.*.lab',
    'fe80::1%eth0',
    'http://x',
    'x'.repeat(64),
  ])('refuses %j', (text) => expect(parseName(text)).toBeUndefined());
});

describe('collectSans', () => {
  it('deduplicates and sorts by kind, so equal inputs always hash the same', () => {
    const sans = collectSans([
      { kind: 'dns', value: 'b' },
      { kind: 'ip', value: '10.0.0.2' },
      { kind: 'dns', value: 'a' },
      { kind: 'ip', value: '10.0.0.2' },
      { kind: 'ip', value: '10.0.0.1' },
    ]);
    expect(sans).toEqual({ dns: ['a', 'b'], ip: ['10.0.0.1', '10.0.0.2'] });
  });
});

describe('firstServiceIp', () => {
  it.each([
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.96.0.5/12', '10.96.0.1'],
    ['172.20.128.0/17', '172.20.128.1'],
    ['fd00:10:96::/108', 'fd00:10:96::1'],
    ['10.96.0.0/12,fd00::/108', '10.96.0.1'],
    ['fd00::/108, 10.96.0.0/12', 'fd00::1'],
  ])('%s -> %s', (cidr, ip) => expect(firstServiceIp(cidr)).toBe(ip));

  it.each(['10.96.0.0', '10.96.0.0/33', '10.96.0.0/31', 'banana/12', ''])('refuses %j', (cidr) =>
    expect(firstServiceIp(cidr)).toBeUndefined(),
  );
});

describe('URLs and node names', () => {
  it('reads the host of an https URL and brackets IPv6 when building one', () => {
    expect(httpsUrlHost('https://127.0.0.1:6443')).toBe('127.0.0.1');
    expect(httpsUrlHost('https://[fd00::10]:6443/')).toBe('fd00::10');
    expect(httpsUrlHost('https://API.lab:8443')).toBe('api.lab');
    expect(httpsUrlHost('http://127.0.0.1:6443')).toBeUndefined();
    expect(httpsUrlHost('https://user:pw@host:6443')).toBeUndefined();
    expect(httpsUrlHost('not a url')).toBeUndefined();
    expect(httpsUrl('fd00::10', 6443)).toBe('https://[fd00::10]:6443');
    expect(httpsUrl('192.168.50.10', 6443)).toBe('https://192.168.50.10:6443');
  });

  it('accepts RFC 1123 node names only', () => {
    expect(isNodeName('worker-1')).toBe(true);
    expect(isNodeName('worker-1.lab')).toBe(true);
    for (const bad of ['Worker', 'a/b', '..', 'a..b', '', '-a', 'a_b']) expect(isNodeName(bad)).toBe(false);
  });
});

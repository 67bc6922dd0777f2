import { describe, expect, it } from 'vitest';
import { parseHostList } from './paste-hosts';

const addresses = (text: string) => parseHostList(text).hosts.map((h) => h.address);

describe('parseHostList', () => {
  it('expands the seed ranges into eight hosts named by their address', () => {
    const { hosts, errors } = parseHostList('192.168.50.20-22\n192.168.50.10-11\n192.168.50.40-42\n');
    expect(errors).toEqual([]);
    expect(hosts.map((h) => h.address)).toEqual([
      '192.168.50.20',
      '192.168.50.21',
      '192.168.50.22',
      '192.168.50.10',
      '192.168.50.11',
      '192.168.50.40',
      '192.168.50.41',
      '192.168.50.42',
    ]);
    expect(hosts[0]).toEqual({ line: 1, name: '192.168.50.20', address: '192.168.50.20' });
    expect(hosts[7]!.line).toBe(3);
  });

  it('reads one address a line: IPv4, IPv6, DNS names, full ranges, comments and blank lines', () => {
    expect(addresses('# lab\n10.0.0.1\n\nfd00::20\nnas.home.lab   # the NAS\n10.0.0.254-10.0.1.1\n')).toEqual([
      '10.0.0.1',
      'fd00::20',
      'nas.home.lab',
      '10.0.0.254',
      '10.0.0.255',
      '10.0.1.0',
      '10.0.1.1',
    ]);
  });

  it('reads name/address pairs in either order, user@ and :port', () => {
    const { hosts, errors } = parseHostList(
      'etcd-1 192.168.50.20\n192.168.50.21 etcd-2\nadmin@[fd00::9]:2222 v6box\nbox root@box.lab:2200\nworker 10.0.0.40-41',
    );
    expect(errors).toEqual([]);
    expect(hosts).toEqual([
      { line: 1, name: 'etcd-1', address: '192.168.50.20' },
      { line: 2, name: 'etcd-2', address: '192.168.50.21' },
      { line: 3, name: 'v6box', address: 'fd00::9', user: 'admin', port: 2222 },
      { line: 4, name: 'box', address: 'box.lab', user: 'root', port: 2200 },
      { line: 5, name: 'worker-1', address: '10.0.0.40' },
      { line: 5, name: 'worker-2', address: '10.0.0.41' },
    ]);
  });

  it('reports every bad line with its number and keeps the good ones', () => {
    const text = [
      '192.168.50.300', // 1 bad address
      '192.168.50.30-20', // 2 backwards range
      '10.0.0.0-10.0.9.0', // 3 too large
      'a b c', // 4 too many fields
      '10.0.0.1:99999', // 5 bad port
      '10.0.0.1 10.0.0.2', // 6 two addresses
      'bad/name 10.0.0.3', // 7 bad name
      '10.0.0.4', // 8 fine
      '10.0.0.4', // 9 duplicate of line 8
      'under_score.lab', // 10 not a DNS name
      'fd00::1-5', // 11 IPv6 ranges are not a thing
    ].join('\n');
    const { hosts, errors } = parseHostList(text);
    expect(hosts.map((h) => h.address)).toEqual(['10.0.0.4']);
    expect(errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'badAddress'],
      [2, 'badRange'],
      [3, 'rangeTooLarge'],
      [4, 'tooManyFields'],
      [5, 'badPort'],
      [6, 'twoAddresses'],
      [7, 'badName'],
      [9, 'duplicateInList'],
      [10, 'badAddress'],
      [11, 'badAddress'],
    ]);
    expect(errors[0]!.params).toEqual({ text: '192.168.50.300' });
    expect(errors[2]!.params).toMatchObject({ count: 2305, max: 256 });
    expect(errors.find((e) => e.line === 9)!.params).toEqual({ address: '10.0.0.4', firstLine: 8 });
  });

  it('refuses addresses and names already in the inventory, in any spelling', () => {
    const { hosts, errors } = parseHostList('FD00::0001\n10.0.0.5\nnas 10.0.0.6', { names: ['NAS'], addresses: ['fd00::1', '10.0.0.9'] });
    expect(hosts.map((h) => h.address)).toEqual(['10.0.0.5']);
    expect(errors).toEqual([
      { line: 1, code: 'alreadyInInventory', params: { address: 'FD00::0001' } },
      { line: 3, code: 'nameTaken', params: { name: 'nas' } },
    ]);
  });

  it('adds nothing from a range line when one of its addresses is taken', () => {
    const { hosts, errors } = parseHostList('10.0.0.1-3', { names: [], addresses: ['10.0.0.2'] });
    expect(hosts).toEqual([]);
    expect(errors).toEqual([{ line: 1, code: 'alreadyInInventory', params: { address: '10.0.0.2' } }]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Host } from '../../../../src-shared/model/cluster';
import { applyAlias, checkForm, formFromHost, formToRequest } from './host-form';

const host = (id: string, name: string, address: string): Host => ({
  id,
  name,
  address,
  port: 22,
  user: 'root',
  auth: { kind: 'agent' },
  sudo: 'none',
  roles: [],
});
const inventory = [host('h1', 'etcd-1', '192.168.50.20'), host('h2', 'bastion', '192.168.50.2')];

describe('host form', () => {
  it('turns a filled form into a host and only the secrets typed', () => {
    const state = {
      ...formFromHost(),
      address: ' 192.168.50.30 ',
      authKind: 'password' as const,
      password: 'pw',
      sudo: 'password' as const,
      sudoPassword: '',
    };
    expect(formToRequest(state)).toEqual({
      host: {
        name: '192.168.50.30',
        address: '192.168.50.30',
        port: 22,
        user: 'root',
        auth: { kind: 'password' },
        sudo: 'password',
        roles: [],
      },
      secrets: { password: 'pw' },
    });
  });

  it('round-trips an existing host, keeping its id, roles and jump host', () => {
    const existing: Host = {
      ...host('h3', 'w1', '10.0.0.3'),
      roles: ['node'],
      jump: { kind: 'host', hostId: 'h2' },
      auth: { kind: 'key', keyPath: '/k', hasPassphrase: true },
    };
    const { host: sent, secrets } = formToRequest(formFromHost(existing));
    expect(sent).toEqual({
      id: 'h3',
      name: 'w1',
      address: '10.0.0.3',
      port: 22,
      user: 'root',
      auth: { kind: 'key', keyPath: '/k', hasPassphrase: true },
      sudo: 'none',
      roles: ['node'],
      jump: { kind: 'host', hostId: 'h2' },
    });
    expect(secrets).toEqual({});
  });

  it('finds what the backend would refuse, per field', () => {
    const bad = {
      ...formFromHost(),
      name: 'ETCD-1',
      address: '192.168.50.300',
      port: '0',
      user: '',
      authKind: 'key' as const,
      jumpKind: 'spec' as const,
      jumpSpec: 'a b',
    };
    expect(checkForm(bad, inventory)).toEqual({
      address: 'address',
      name: 'duplicateName',
      port: 'port',
      user: 'required',
      keyPath: 'required',
      jump: 'jumpSpec',
    });
    expect(checkForm({ ...formFromHost(), address: '192.168.50.20' }, inventory)).toEqual({ address: 'duplicateAddress' });
    expect(checkForm({ ...formFromHost(inventory[0]), port: '2222' }, inventory)).toEqual({});
    expect(checkForm({ ...formFromHost(inventory[0]), jumpKind: 'host', jumpHostId: 'h1' }, inventory)).toEqual({ jump: 'jumpHost' });
  });

  it('fills in a ~/.ssh/config alias, its ProxyJump becoming an inventory host when it names one', () => {
    const filled = applyAlias(
      formFromHost(),
      { alias: 'lab1', hostName: '10.0.0.5', user: 'ops', port: 2222, identityFile: '/home/me/.ssh/lab', proxyJump: 'bastion' },
      inventory,
    );
    expect(formToRequest(filled).host).toEqual({
      name: 'lab1',
      address: '10.0.0.5',
      port: 2222,
      user: 'ops',
      auth: { kind: 'key', keyPath: '/home/me/.ssh/lab', hasPassphrase: false },
      sudo: 'none',
      roles: [],
      jump: { kind: 'host', hostId: 'h2' },
    });
    expect(applyAlias(formFromHost(), { alias: 'x', proxyJump: 'admin@far:22' }, inventory)).toMatchObject({
      address: 'x',
      jumpKind: 'spec',
      jumpSpec: 'admin@far:22',
    });
  });
});

import { PASSWORDS } from './config';
import type { HostRecord } from './state';
import type { LabHost } from './types';

export function toLabHost(rec: HostRecord, keyPath: string): LabHost {
  return {
    name: rec.name,
    index: rec.index,
    address: rec.address,
    port: 22,
    rootKeyPath: keyPath,
    users: {
      root: { username: 'root', privateKeyPath: keyPath, sudo: 'none' },
      deployer: { username: 'deployer', privateKeyPath: keyPath, sudo: 'nopasswd' },
      sudoer: { username: 'sudoer', privateKeyPath: keyPath, password: PASSWORDS.sudoer, sudo: 'password' },
      pwuser: { username: 'pwuser', password: PASSWORDS.pwuser, sudo: 'none' },
    },
  };
}

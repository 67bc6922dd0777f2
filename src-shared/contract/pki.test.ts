import { describe, expect, it } from 'vitest';
import { pkiMethods } from './pki';

describe('pki contract', () => {
  const pem = pkiMethods['pki.pem'].input;
  it('takes certificate ids as the PKI names them', () => {
    for (const id of ['apiserver', 'etcd/ca', 'hosts/etcd-1/etcd/server', 'kubeconfig/admin']) {
      expect(pem.safeParse({ cluster: 'lab', id }).success, id).toBe(true);
    }
  });
  it('refuses ids that could leave pki/', () => {
    for (const id of ['../secrets', 'etcd/../../x', '/etc/passwd', '', 'a'.repeat(201)]) {
      expect(pem.safeParse({ cluster: 'lab', id }).success, id).toBe(false);
    }
  });
});

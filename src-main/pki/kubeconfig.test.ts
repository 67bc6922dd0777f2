import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseKubeconfig, renderKubeconfig, type KubeconfigContent } from './kubeconfig';

const content: KubeconfigContent = {
  clusterName: 'homelab',
  server: 'https://127.0.0.1:6443',
  caCertPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  userName: 'system:node:worker-1',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN RSA PRIVATE KEY-----\nKEY\n-----END RSA PRIVATE KEY-----\n',
};

describe('kubeconfig', () => {
  it('embeds CA, certificate and key, with a user@cluster context selected', () => {
    const yaml = parse(renderKubeconfig(content));
    expect(yaml).toMatchObject({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'system:node:worker-1@homelab',
      clusters: [{ name: 'homelab', cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [{ name: 'system:node:worker-1' }],
    });
    expect(Buffer.from(yaml.users[0].user['client-key-data'], 'base64').toString()).toBe(content.clientKeyPem);
  });

  it('reads back what it wrote, and nothing else', () => {
    expect(parseKubeconfig(renderKubeconfig(content))).toEqual(content);
    expect(parseKubeconfig('kind: Config\n')).toBeUndefined();
    expect(parseKubeconfig(': : :')).toBeUndefined();
  });
});

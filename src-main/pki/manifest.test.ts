import { describe, expect, it } from 'vitest';
import { emptyManifest, inputsHash, parseManifest, serializeManifest } from './manifest';

describe('manifest', () => {
  it('hashes inputs independently of key order, and differently when a value changes', () => {
    const a = inputsHash({ subject: { commonName: 'x', organizations: ['o'] }, sans: { dns: ['a'], ip: [] }, keyType: 'rsa-2048' });
    const b = inputsHash({ keyType: 'rsa-2048', sans: { ip: [], dns: ['a'] }, subject: { organizations: ['o'], commonName: 'x' } });
    expect(a).toBe(b);
    expect(inputsHash({ keyType: 'rsa-3072' })).not.toBe(inputsHash({ keyType: 'rsa-2048' }));
    expect(inputsHash({ sans: ['a', 'b'] })).not.toBe(inputsHash({ sans: ['b', 'a'] }));
  });

  it('round-trips, and refuses a corrupt one with the reason', () => {
    const manifest = { ...emptyManifest(), entries: { 'ca.crt': { kind: 'ca' as const, inputs: 'h' } }, files: { 'ca.crt': 'abc' } };
    expect(parseManifest(serializeManifest(manifest), 'm.json')).toEqual(manifest);
    expect(() => parseManifest('{', 'pki/manifest.json')).toThrow(
      expect.objectContaining({ name: 'PkiManifestCorrupt', message: expect.stringContaining('not valid JSON') }),
    );
    expect(() => parseManifest('{"generator":"kubesmith","version":2,"entries":{},"files":{}}', 'pki/manifest.json')).toThrow(
      expect.objectContaining({ name: 'PkiManifestCorrupt' }),
    );
  });
});

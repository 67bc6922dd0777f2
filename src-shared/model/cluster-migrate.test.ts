import { describe, expect, it } from 'vitest';
import { ClusterSchema } from './cluster';

describe('cluster.yaml written before per-registry mirrors', () => {
  it('moves the single registryMirror to docker.io, which it served', () => {
    const c = ClusterSchema.parse({ name: 'old', settings: { registryMirror: 'registry.lab:5000' } });
    expect(c.settings.registryMirrors).toEqual({ 'docker.io': 'registry.lab:5000' });
    expect('registryMirror' in c.settings).toBe(false);
  });

  it('keeps a docker.io mirror already set, and drops an empty old one', () => {
    expect(
      ClusterSchema.parse({ name: 'a', settings: { registryMirror: 'old.lab', registryMirrors: { 'docker.io': 'new.lab' } } }).settings
        .registryMirrors,
    ).toEqual({
      'docker.io': 'new.lab',
    });
    expect(ClusterSchema.parse({ name: 'b', settings: { registryMirror: ' ' } }).settings.registryMirrors).toEqual({});
    expect(ClusterSchema.parse({ name: 'c' }).settings.registryMirrors).toEqual({});
  });
});

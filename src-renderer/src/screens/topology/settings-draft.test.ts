import { describe, expect, it } from 'vitest';
import { ClusterSettingsSchema } from '../../../../src-shared/model/cluster';
import { draftFromSettings, settingsFromDraft, versionOptions } from './settings-draft';

describe('settings draft', () => {
  it('round-trips the defaults and a fully set form', () => {
    const defaults = ClusterSettingsSchema.parse({});
    expect(settingsFromDraft(draftFromSettings(defaults))).toEqual(defaults);
    const full = ClusterSettingsSchema.parse({
      kubernetesVersion: '1.35',
      extraSans: ['api.lab', '10.0.0.100'],
      binarySource: { kind: 'mirror', prefix: 'https://mirror.lab/k8s' },
      artifactTransfer: 'hostsDownload',
      registryMirrors: { 'docker.io': 'registry.lab:5000', 'ghcr.io': 'mirror.lab/ghcr.io' },
    });
    expect(settingsFromDraft(draftFromSettings(full))).toEqual(full);
  });

  it('reads SANs one a line or comma-separated, and drops empty mirrors', () => {
    const draft = {
      ...draftFromSettings(ClusterSettingsSchema.parse({})),
      extraSans: ' api.lab, 10.0.0.1\n\n*.apps.lab ',
      registryMirrors: { 'docker.io': '  ', 'registry.k8s.io': '', 'quay.io': ' quay.lab ', 'ghcr.io': '' },
    };
    expect(settingsFromDraft(draft)).toMatchObject({ extraSans: ['api.lab', '10.0.0.1', '*.apps.lab'] });
    expect(settingsFromDraft(draft).registryMirrors).toEqual({ 'quay.io': 'quay.lab' });
  });

  it('lists 1.35 to 1.37 for a cluster on a supported version, and keeps 1.34 only for a cluster already on it', () => {
    expect(versionOptions('1.37')).toEqual(['1.37', '1.36', '1.35']);
    expect(versionOptions('1.35')).toEqual(['1.37', '1.36', '1.35']);
    expect(versionOptions('1.34')).toEqual(['1.37', '1.36', '1.35', '1.34']);
  });
});

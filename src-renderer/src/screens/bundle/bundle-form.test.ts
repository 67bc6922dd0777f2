import { describe, expect, it } from 'vitest';
import { BundleMakeInputSchema } from '../../../../src-shared/contract/bundle';
import { emptyForm, readForm } from './bundle-form';

describe('offline bundle form', () => {
  it('names every field that is wrong', () => {
    const form = {
      ...emptyForm(),
      versions: [],
      out: 'relative/dir',
      binaryMirror: 'mirror.lab',
      mirrors: { ...emptyForm().mirrors, 'quay.io': 'ftp://x' },
    };
    expect(readForm(form, 't').problems.map((p) => p.field)).toEqual(['versions', 'out', 'mirror.quay.io', 'binaryMirror']);
    expect(readForm(form, 't').input).toBeUndefined();
  });

  it('gives a request the contract accepts, without empty mirrors', () => {
    const form = {
      ...emptyForm(),
      out: ' /srv/bundle ',
      arches: ['amd64', 'arm64'],
      mirrors: { ...emptyForm().mirrors, 'docker.io': 'http://mirror.lab:5000/docker.io' },
    };
    const { input, problems } = readForm(form, 'task-1');
    expect(problems).toEqual([]);
    expect(BundleMakeInputSchema.parse(input)).toMatchObject({
      out: '/srv/bundle',
      mirrors: { 'docker.io': 'http://mirror.lab:5000/docker.io' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { translate } from '../../i18n/i18n';
import { runStateLabel } from './run-state-label';

const en = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);

describe('runStateLabel', () => {
  it('names a deploy as a deploy, also from a journal older than day-2 operations', () => {
    expect(runStateLabel(en, { operation: 'deploy', state: 'succeeded' })).toBe('Deploy finished');
    expect(runStateLabel(en, { state: 'running' })).toBe('Deploying…');
  });

  it('names a day-2 operation by its kind', () => {
    expect(runStateLabel(en, { operation: 'reset', state: 'failed' })).toBe('Reset stopped with failures');
    expect(runStateLabel(en, { operation: 'backup', state: 'running' })).toBe('Backup running…');
  });
});

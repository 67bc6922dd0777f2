import { describe, expect, it } from 'vitest';
import type { Operation, PhaseId } from '../../../../src-shared/model/plan';
import { translate } from '../../i18n/i18n';
import { operationLabel, phaseLabel } from './engine-labels';

const zh = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('zh-CN', key, params);

describe('engine labels', () => {
  it('names deploy and operation phases in the chosen language', () => {
    expect(phaseLabel(zh, 'control-plane')).toBe('控制平面');
    expect(phaseLabel(zh, 'drain')).toBe('驱逐');
    expect(operationLabel(zh, 'reset')).toBe('重置');
  });

  it('shows the id of a phase or operation that has no text yet', () => {
    expect(phaseLabel(zh, 'surge' as PhaseId)).toBe('surge');
    expect(operationLabel(zh, 'rotate' as Operation)).toBe('rotate');
  });
});

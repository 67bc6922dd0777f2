import { describe, expect, it } from 'vitest';
import type { OperationPlan } from '../../../../src-shared/contract/operations';
import { canRunOperation, confirmSatisfied } from './confirm';

const plan = (confirmText?: string): OperationPlan => ({
  plan: {
    cluster: 'lab',
    operation: 'reset',
    kubernetesVersion: '1.36.0',
    createdAt: '2026-01-01T00:00:00Z',
    hash: 'abc',
    phases: [],
    warnings: [],
  },
  consequences: [],
  ...(confirmText !== undefined ? { confirmText } : {}),
});

describe('confirmSatisfied', () => {
  it('needs the exact text, case and spaces included', () => {
    expect(confirmSatisfied('node-3', 'node-3')).toBe(true);
    expect(confirmSatisfied('node-3', 'node-')).toBe(false);
    expect(confirmSatisfied('node-3', 'Node-3')).toBe(false);
    expect(confirmSatisfied('node-3', ' node-3')).toBe(false);
    expect(confirmSatisfied('node-3', '')).toBe(false);
  });

  it('asks for nothing when the plan has no confirm text', () => {
    expect(confirmSatisfied(undefined, '')).toBe(true);
  });
});

describe('canRunOperation', () => {
  it('runs a read and confirmed plan only while nothing else runs', () => {
    const idle = { confirm: 'lab', running: false, starting: false };
    expect(canRunOperation({ ...idle, plan: plan('lab') })).toBe(true);
    expect(canRunOperation({ ...idle, plan: plan() })).toBe(true);
    expect(canRunOperation({ ...idle, plan: undefined })).toBe(false);
    expect(canRunOperation({ ...idle, plan: plan('lab'), confirm: 'la' })).toBe(false);
    expect(canRunOperation({ ...idle, plan: plan('lab'), running: true })).toBe(false);
    expect(canRunOperation({ ...idle, plan: plan('lab'), starting: true })).toBe(false);
  });
});

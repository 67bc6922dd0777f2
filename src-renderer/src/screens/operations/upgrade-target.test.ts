import { describe, expect, it } from 'vitest';
import { defaultUpgradeTarget, hasNewerVersion, parseBatch, UPGRADE_TARGETS } from './upgrade-target';

describe('defaultUpgradeTarget', () => {
  it('starts on the next minor version after the cluster’s', () => {
    expect(defaultUpgradeTarget('1.34')).toBe('1.35');
    expect(defaultUpgradeTarget('1.35')).toBe('1.36');
    expect(defaultUpgradeTarget('1.36')).toBe('1.37');
  });

  it('stays on the newest version when there is nothing newer', () => {
    expect(defaultUpgradeTarget('1.37')).toBe('1.37');
    expect(hasNewerVersion('1.37')).toBe(false);
    expect(hasNewerVersion('1.36')).toBe(true);
  });

  it('lists the targets oldest first', () => {
    expect(UPGRADE_TARGETS).toEqual(['1.34', '1.35', '1.36', '1.37']);
  });
});

describe('parseBatch', () => {
  it('accepts whole numbers from 1 to 50', () => {
    expect(parseBatch('1')).toBe(1);
    expect(parseBatch(' 7 ')).toBe(7);
    expect(parseBatch('50')).toBe(50);
  });

  it('refuses anything else', () => {
    for (const text of ['', '0', '51', '-1', '2.5', '1e1', 'two']) expect(parseBatch(text), text).toBeUndefined();
  });
});

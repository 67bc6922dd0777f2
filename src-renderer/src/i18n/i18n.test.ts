import { describe, expect, it } from 'vitest';
import { en } from './en';
import { translate } from './i18n';
import { zhCN } from './zh-CN';

describe('i18n', () => {
  it('has a Chinese text for every English key, and no extra ones', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(zhCN)) expect(text, key).not.toBe('');
  });

  it('fills in parameters and keeps unknown ones visible', () => {
    expect(translate('en', 'cluster.hosts', { count: 8 })).toBe('8 hosts');
    expect(translate('zh-CN', 'cluster.hosts', { count: 8 })).toBe('8 台主机');
    expect(translate('en', 'status.workspace')).toBe('Workspace: {dir}');
  });
});

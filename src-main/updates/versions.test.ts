import { describe, expect, it } from 'vitest';
import { channelAccepts, channelOf, compareVersions, isWantedUpdate } from './versions';

describe('compareVersions', () => {
  it('orders by major, minor, patch and puts pre-releases below their release', () => {
    const sorted = ['1.0.0', '0.1.0', '1.0.0-beta.2', '1.0.0-beta.10', '0.10.0', '1.0.0-alpha', '0.2.0', '1.0.1'].sort((a, b) =>
      compareVersions(a, b)!,
    );
    expect(sorted).toEqual(['0.1.0', '0.2.0', '0.10.0', '1.0.0-alpha', '1.0.0-beta.2', '1.0.0-beta.10', '1.0.0', '1.0.1']);
    expect(compareVersions('v1.2.3', '1.2.3+build.5')).toBe(0);
  });

  it('refuses what is not a version', () => {
    expect(compareVersions('1.2', '1.2.0')).toBeUndefined();
    expect(compareVersions('latest', '1.2.0')).toBeUndefined();
  });
});

describe('channels', () => {
  it('knows the channel of a version and what each channel accepts', () => {
    expect(channelOf('1.2.0')).toBe('latest');
    expect(channelOf('1.2.0-beta.1')).toBe('beta');
    expect(channelOf('1.2.0-alpha.1')).toBeUndefined();
    expect(channelAccepts('latest', '1.2.0-beta.1')).toBe(false);
    expect(channelAccepts('beta', '1.2.0-beta.1')).toBe(true);
    expect(channelAccepts('beta', '1.2.0')).toBe(true);
    expect(channelAccepts('beta', '1.2.0-alpha.1')).toBe(false);
  });

  it('wants only a strictly newer version on the user channel', () => {
    expect(isWantedUpdate('0.1.0', '0.2.0', 'latest')).toBe(true);
    expect(isWantedUpdate('0.2.0', '0.2.0', 'latest')).toBe(false);
    expect(isWantedUpdate('0.2.0', '0.1.9', 'beta')).toBe(false);
    expect(isWantedUpdate('0.1.0', '0.2.0-beta.1', 'latest')).toBe(false);
    expect(isWantedUpdate('0.1.0', '0.2.0-beta.1', 'beta')).toBe(true);
    expect(isWantedUpdate('0.2.0-beta.1', '0.2.0', 'beta')).toBe(true);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { SecretCache } from './secret-cache';

describe('SecretCache', () => {
  it('asks once for concurrent and later requests', async () => {
    const ask = vi.fn(async () => 'hunter2');
    const cache = new SecretCache(ask);
    const req = { hostId: 'h1', kind: 'password' as const, prompt: 'Password' };
    const all = await Promise.all([cache.get('h1/password', req), cache.get('h1/password', req)]);
    expect(all).toEqual(['hunter2', 'hunter2']);
    expect(await cache.get('h1/password', req)).toBe('hunter2');
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('asks again after forget and after a cancel', async () => {
    const answers = [undefined, 'one', 'two'];
    const ask = vi.fn(async () => answers.shift());
    const cache = new SecretCache(ask);
    const req = { hostId: 'h1', kind: 'sudo' as const, prompt: 'sudo' };
    await expect(cache.get('k', req)).rejects.toMatchObject({ name: 'AuthCancelled' });
    expect(await cache.get('k', req)).toBe('one');
    cache.forget('k');
    expect(await cache.get('k', req)).toBe('two');
    cache.forgetHost('h1');
    expect(ask).toHaveBeenCalledTimes(3);
  });
});

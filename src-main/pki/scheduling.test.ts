import { describe, expect, it } from 'vitest';
import { createLimiter } from './scheduling';

describe('createLimiter', () => {
  it('never runs more than the limit at once, and runs everything', async () => {
    const limited = createLimiter(2);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limited(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, i % 3));
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot of a failed task', async () => {
    const limited = createLimiter(1);
    await expect(limited(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limited(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectDeadline } from './connect-deadline';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectDeadline', () => {
  it('fires after the timeout, not counting time spent asking the user', async () => {
    const expired = vi.fn();
    const deadline = new ConnectDeadline(1000, expired);
    vi.advanceTimersByTime(600);
    let answer!: (v: string) => void;
    const asked = deadline.whileAskingUser(() => new Promise<string>((r) => (answer = r)));
    vi.advanceTimersByTime(60_000);
    expect(expired).not.toHaveBeenCalled();
    answer('yes');
    await asked;
    vi.advanceTimersByTime(399);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('never fires once cancelled', () => {
    const expired = vi.fn();
    new ConnectDeadline(10, expired).cancel();
    vi.advanceTimersByTime(100);
    expect(expired).not.toHaveBeenCalled();
  });
});

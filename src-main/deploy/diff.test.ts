import { describe, expect, it } from 'vitest';
import { lineDiff } from './diff';

describe('lineDiff', () => {
  it('is empty for equal text', () => expect(lineDiff('a\nb\n', 'a\nb\n')).toBe(''));

  it('marks changed lines with context and elides the rest', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'x', '10'].join('\n');
    const after = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'y', '10'].join('\n');
    expect(lineDiff(before, after, 1)).toBe(['…', ' 9', '-x', '+y', ' 10'].join('\n'));
  });

  it('shows a new file as all additions', () => expect(lineDiff('', 'a\nb')).toBe('-\n+a\n+b'));
});

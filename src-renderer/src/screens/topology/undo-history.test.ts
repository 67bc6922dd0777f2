import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, record, redo, undo, type History } from './undo-history';

describe('undo history', () => {
  it('undoes and redoes in order, and a new change drops the redo stack', () => {
    let h: History<string> = EMPTY_HISTORY;
    h = record(record(h, 'a'), 'b');
    let step = undo(h);
    expect(step.entry).toBe('b');
    step = undo(step.history);
    expect(step.entry).toBe('a');
    expect(undo(step.history).entry).toBeUndefined();
    const again = redo(step.history);
    expect(again.entry).toBe('a');
    expect(again.history).toEqual({ past: ['a'], future: ['b'] });
    expect(record(again.history, 'c')).toEqual({ past: ['a', 'c'], future: [] });
  });
});

import { describe, expect, it } from 'vitest';
import { TailBuffer } from './tail-buffer';

describe('TailBuffer', () => {
  it('keeps everything under the limit', () => {
    const b = new TailBuffer(10);
    b.push(Buffer.from('abc'));
    b.push(Buffer.from('def'));
    expect(b.toString()).toBe('abcdef');
    expect(b.droppedBytes).toBe(0);
  });

  it('keeps only the last bytes beyond it', () => {
    const b = new TailBuffer(5);
    b.push(Buffer.from('abc'));
    b.push(Buffer.from('defgh'));
    b.push(Buffer.from('ij'));
    expect(b.toString()).toBe('fghij');
    expect(b.droppedBytes).toBe(5);
  });

  it('does not start with half a character', () => {
    const b = new TailBuffer(4);
    b.push(Buffer.from('你好'));
    expect(b.toString()).toBe('好');
  });
});

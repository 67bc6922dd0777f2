import type { KeyboardCoordinateGetter } from '@dnd-kit/core';
import { describe, expect, it } from 'vitest';
import { laneKeyboardCoordinates } from './keyboard-coordinates';

type Args = Parameters<KeyboardCoordinateGetter>[1];
const rect = (left: number, top: number, width: number, height: number) => ({
  left,
  top,
  width,
  height,
  right: left + width,
  bottom: top + height,
});

function args(overId: string | undefined, lane: string, y = 300): Args {
  const droppableRects = new Map([
    ['pool', rect(0, 100, 200, 800)],
    ['etcd', rect(220, 100, 200, 150)],
    ['master', rect(440, 100, 200, 150)],
    ['node', rect(660, 100, 200, 600)],
  ]);
  return {
    active: 'pool:h1',
    currentCoordinates: { x: 10, y },
    context: {
      active: { id: 'pool:h1', data: { current: { lane, hostId: 'h1' } }, rect: { current: { initial: null, translated: null } } },
      over: overId ? { id: overId, rect: droppableRects.get(overId)!, disabled: false, data: { current: undefined } } : null,
      droppableRects,
      collisionRect: rect(10, y, 180, 40),
    },
  } as unknown as Args;
}
const key = (code: string) => ({ code, preventDefault() {} }) as KeyboardEvent;
const getter = laneKeyboardCoordinates(['pool', 'etcd', 'master', 'node']);

describe('laneKeyboardCoordinates', () => {
  it('moves to the next lane right or down, centred, and keeps the card inside the lane', () => {
    expect(getter(key('ArrowRight'), args(undefined, 'pool'))).toEqual({ x: 230, y: 210 });
    expect(getter(key('ArrowDown'), args('etcd', 'pool', 120))).toEqual({ x: 450, y: 120 });
    expect(getter(key('ArrowRight'), args('master', 'pool', 300))).toEqual({ x: 670, y: 300 });
  });
  it('moves to the previous lane left or up, and stops at the ends', () => {
    expect(getter(key('ArrowLeft'), args('etcd', 'pool', 120))).toEqual({ x: 10, y: 120 });
    expect(getter(key('ArrowUp'), args(undefined, 'master', 120))).toEqual({ x: 230, y: 120 });
    expect(getter(key('ArrowLeft'), args(undefined, 'pool'))).toBeUndefined();
    expect(getter(key('ArrowRight'), args('node', 'pool'))).toBeUndefined();
  });
  it('leaves other keys alone', () => {
    expect(getter(key('KeyA'), args(undefined, 'pool'))).toBeUndefined();
  });
});

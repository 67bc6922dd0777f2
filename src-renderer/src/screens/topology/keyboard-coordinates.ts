import type { KeyboardCoordinateGetter } from '@dnd-kit/core';
import { isLane, type LaneId } from './lanes';

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * For dnd-kit's KeyboardSensor: an arrow key moves the picked-up card to the next lane
 * (Right/Down) or the previous one (Left/Up), in the order given, instead of by a few pixels.
 * The card lands inside the target lane so the collision check sees it there.
 */
export function laneKeyboardCoordinates(order: readonly LaneId[]): KeyboardCoordinateGetter {
  return (event, { context, currentCoordinates }) => {
    const step = STEP[event.code];
    if (step === undefined) return undefined;
    event.preventDefault();
    const { active, over, droppableRects, collisionRect } = context;
    if (!active || !collisionRect) return undefined;
    const from = isLane(over?.id) ? over.id : active.data.current?.lane;
    const index = order.indexOf(from as LaneId);
    const target = order[index + step];
    const rect = target === undefined ? undefined : droppableRects.get(target);
    if (!rect) return undefined;
    const x = rect.left + rect.width / 2 - collisionRect.width / 2;
    const lowest = rect.top + Math.max(0, rect.height - collisionRect.height);
    const y = Math.min(Math.max(currentCoordinates.y, rect.top), lowest);
    return { x, y };
  };
}

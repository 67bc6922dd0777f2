import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';
import type { Host } from '../../../../src-shared/model/cluster';
import type { Translate } from '../../i18n/i18n';
import { isLane, type LaneId } from './lanes';

export interface ChipData {
  hostId: string;
  lane: LaneId;
}

/** What a screen reader hears while a card moves, in the user's language. */
export function laneAnnouncements(
  t: Translate,
  hosts: ReadonlyMap<string, Host>,
): { announcements: Announcements; screenReaderInstructions: ScreenReaderInstructions } {
  const hostName = (data: unknown) => hosts.get((data as ChipData | undefined)?.hostId ?? '')?.name ?? '';
  const laneName = (id: unknown) => (isLane(id) ? t(`lane.${id}`) : '');
  return {
    screenReaderInstructions: { draggable: t('dnd.instructions') },
    announcements: {
      onDragStart: ({ active }) =>
        t('dnd.pickedUp', { host: hostName(active.data.current), lane: laneName((active.data.current as ChipData).lane) }),
      onDragOver: ({ active, over }) =>
        over
          ? t('dnd.over', { host: hostName(active.data.current), lane: laneName(over.id) })
          : t('dnd.notOver', { host: hostName(active.data.current) }),
      onDragEnd: ({ active, over }) =>
        over
          ? t('dnd.dropped', { host: hostName(active.data.current), lane: laneName(over.id) })
          : t('dnd.droppedNowhere', { host: hostName(active.data.current) }),
      onDragCancel: ({ active }) =>
        t('dnd.cancelled', { host: hostName(active.data.current), lane: laneName((active.data.current as ChipData).lane) }),
    },
  };
}

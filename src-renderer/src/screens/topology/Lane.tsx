import { useDroppable } from '@dnd-kit/core';
import { memo, type ReactNode } from 'react';
import type { Host } from '../../../../src-shared/model/cluster';
import { useT } from '../../i18n/i18n';
import { HostChip, type ChipFlag } from './HostChip';
import type { LaneId } from './lanes';

/** A drop target: a role lane, or the pool. Cards are memoised so a drag re-renders only what changes. */
export const Lane = memo(function Lane({
  lane,
  hosts,
  flags,
  empty,
  children,
}: {
  lane: LaneId;
  hosts: readonly Host[];
  flags: ReadonlyMap<string, ChipFlag>;
  empty: string;
  children?: ReactNode;
}) {
  const t = useT();
  const { setNodeRef, isOver } = useDroppable({ id: lane });
  const titleId = `lane-${lane}-title`;
  return (
    <section ref={setNodeRef} className={`lane lane-${lane}`} data-lane={lane} data-over={isOver || undefined} aria-labelledby={titleId}>
      <h3 id={titleId} className="lane-title">
        {t(`lane.${lane}`)}{' '}
        <span className="lane-count" data-testid={`lane-count-${lane}`}>
          {hosts.length}
        </span>
      </h3>
      {hosts.length === 0 ? (
        <p className="lane-empty">{empty}</p>
      ) : (
        <ul className="lane-cards">
          {hosts.map((host) => (
            <HostChip key={host.id} host={host} lane={lane} flag={flags.get(host.id)} />
          ))}
        </ul>
      )}
      {children}
    </section>
  );
});

import { useDraggable } from '@dnd-kit/core';
import { memo } from 'react';
import type { Host } from '../../../../src-shared/model/cluster';
import { RoleIcon } from '../../app/icons';
import { useT } from '../../i18n/i18n';
import { formatBytes } from '../inventory/format';
import type { ChipData } from './announcements';
import { chipId, type LaneId } from './lanes';

export type ChipFlag = 'error' | 'warning' | undefined;

/** A host card on the canvas: one host in one lane (or in the pool), picked up with the mouse or with Space. */
export const HostChip = memo(function HostChip({ host, lane, flag }: { host: Host; lane: LaneId; flag: ChipFlag }) {
  const t = useT();
  const data: ChipData = { hostId: host.id, lane };
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: chipId(lane, host.id),
    data,
    attributes: { roleDescription: t('dnd.roleDescription') },
  });
  return (
    <li className="lane-item">
      <div
        ref={setNodeRef}
        {...listeners}
        {...attributes}
        className="host-chip"
        data-chip-id={chipId(lane, host.id)}
        data-host-name={host.name}
        data-flag={flag}
        data-dragging={isDragging || undefined}
        aria-label={t('chip.label', { name: host.name, address: host.address, lane: t(`lane.${lane}`) })}
      >
        <ChipBody host={host} flag={flag} />
      </div>
    </li>
  );
});

/**
 * The card's face, also drawn under the pointer while dragging. Memoised apart from the card:
 * dnd-kit re-renders every draggable when a drag starts or ends, and only the hook needs to run then.
 */
export const ChipBody = memo(function ChipBody({ host, flag }: { host: Host; flag: ChipFlag }) {
  const t = useT();
  const probe = host.probe?.ok ? host.probe : undefined;
  return (
    <>
      <span className="chip-name">
        {flag && (
          <span
            className={`chip-flag chip-flag-${flag}`}
            title={t(flag === 'error' ? 'chip.error' : 'chip.warning')}
            aria-label={t(flag === 'error' ? 'chip.error' : 'chip.warning')}
          >
            {flag === 'error' ? '✕' : '!'}
          </span>
        )}
        {host.name}
      </span>
      {host.name !== host.address && <span className="chip-address">{host.address}</span>}
      <span className="chip-meta">
        {host.roles.map((r) => (
          <span key={r} className={`role-dot role-${r}`} title={t(`lane.${r}`)}>
            <RoleIcon role={r} />
          </span>
        ))}
        {probe?.cpus !== undefined && probe.memoryBytes !== undefined && (
          <span>{t('chip.resources', { cpus: probe.cpus, memory: formatBytes(probe.memoryBytes) })}</span>
        )}
        {probe?.os && <span className="chip-os">{`${probe.os.id} ${probe.os.version}`}</span>}
        {host.probe && !host.probe.ok && <span className="chip-probe-failed">{t('home.state.probeFailed')}</span>}
      </span>
    </>
  );
});

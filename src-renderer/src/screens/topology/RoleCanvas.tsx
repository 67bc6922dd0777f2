import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Host } from '../../../../src-shared/model/cluster';
import type { TopologyReport } from '../../../../src-shared/model/validate-topology';
import { useT } from '../../i18n/i18n';
import { useTopologyHistory } from '../../stores/topology-history';
import { laneAnnouncements, type ChipData } from './announcements';
import { ChipBody, HostChip, type ChipFlag } from './HostChip';
import { laneKeyboardCoordinates } from './keyboard-coordinates';
import { Lane } from './Lane';
import { chipId, isLane, LANES, rolesAfterDrop } from './lanes';

const coordinateGetter = laneKeyboardCoordinates(LANES);

/** The pointer decides where a mouse drag lands; a keyboard drag has no pointer, so the card's own box does. */
const collisionDetection: CollisionDetection = (args) => (args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args));

/** The pool and the three role lanes. A card in a lane is one role of one host; moving cards changes roles. */
export function RoleCanvas({ hosts, report }: { hosts: readonly Host[]; report: TopologyReport }) {
  const t = useT();
  const apply = useTopologyHistory((s) => s.apply);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter }),
  );
  const [dragging, setDragging] = useState<ChipData | undefined>();
  const [showAssigned, setShowAssigned] = useState(false);
  const focusAfterDrop = useRef<string | undefined>(undefined);

  const byId = useMemo(() => new Map(hosts.map((h) => [h.id, h])), [hosts]);
  const lanes = useMemo(
    () => ({
      unassigned: hosts.filter((h) => h.roles.length === 0),
      assigned: hosts.filter((h) => h.roles.length > 0),
      etcd: hosts.filter((h) => h.roles.includes('etcd')),
      master: hosts.filter((h) => h.roles.includes('master')),
      node: hosts.filter((h) => h.roles.includes('node')),
    }),
    [hosts],
  );
  const flags = useMemo(() => {
    const map = new Map<string, ChipFlag>();
    for (const f of report.findings) for (const id of f.hostIds) if (map.get(id) !== 'error') map.set(id, f.severity);
    return map;
  }, [report]);
  const accessibility = useMemo(() => ({ ...laneAnnouncements(t, byId), restoreFocus: false }), [t, byId]);

  // After a keyboard drop, keep the focus on the moved card in its new lane so the next move can start at once.
  useLayoutEffect(() => {
    const target = focusAfterDrop.current;
    if (!target) return;
    focusAfterDrop.current = undefined;
    document.querySelector<HTMLElement>(`[data-chip-id="${CSS.escape(target)}"]`)?.focus();
  }, [hosts]);

  const onDragStart = ({ active }: DragStartEvent) => setDragging(active.data.current as ChipData);
  const onDragEnd = ({ active, over, activatorEvent }: DragEndEvent) => {
    setDragging(undefined);
    const data = active.data.current as ChipData | undefined;
    const host = data && byId.get(data.hostId);
    if (!data || !host || !over || !isLane(over.id)) return;
    const roles = rolesAfterDrop(host.roles, data.lane, over.id);
    if (!roles) return;
    if (activatorEvent instanceof KeyboardEvent) focusAfterDrop.current = chipId(over.id, host.id);
    void apply({ before: { [host.id]: host.roles }, after: { [host.id]: roles } });
  };

  const draggedHost = dragging && byId.get(dragging.hostId);
  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collisionDetection}
      accessibility={accessibility}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setDragging(undefined)}
    >
      <div className="role-canvas" role="group" aria-label={t('topology.canvas')}>
        <Lane lane="pool" hosts={lanes.unassigned} flags={flags} empty={t('lane.poolEmpty')}>
          {lanes.assigned.length > 0 && (
            <details className="pool-assigned" open={showAssigned} onToggle={(e) => setShowAssigned(e.currentTarget.open)}>
              <summary>{t('lane.assigned', { count: lanes.assigned.length })}</summary>
              {/* Rendered only while open: with 200 hosts these would double the cards every drag has to update. */}
              {showAssigned && (
                <ul className="lane-cards">
                  {lanes.assigned.map((host) => (
                    <HostChip key={host.id} host={host} lane="pool" flag={flags.get(host.id)} />
                  ))}
                </ul>
              )}
            </details>
          )}
        </Lane>
        <Lane lane="etcd" hosts={lanes.etcd} flags={flags} empty={t('lane.empty')} />
        <Lane lane="master" hosts={lanes.master} flags={flags} empty={t('lane.empty')} />
        <Lane lane="node" hosts={lanes.node} flags={flags} empty={t('lane.empty')} />
      </div>
      <DragOverlay dropAnimation={null}>
        {draggedHost ? (
          <div className="host-chip host-chip-overlay">
            <ChipBody host={draggedHost} flag={flags.get(draggedHost.id)} />
          </div>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

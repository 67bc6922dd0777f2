import type { Cluster, Host } from '../../../src-shared/model/cluster';
import type { Plan, PlanStep } from '../../../src-shared/model/plan';
import { K8S_DIR, UNIT_DIR } from '../../deploy/layout';
import { etcdClientUrl, etcdctlAt } from '../../deploy/phases/etcd';
import { renderUnit } from '../../deploy/render/systemd-unit';
import { commandStep, fileStep, unitStep } from '../../deploy/steps';
import { raw, sh, shJoin } from '../../ssh/shell';
import { job, operationPlan } from './operation-plan';

export const BACKUP_SCHEDULES = ['hourly', 'daily', 'weekly', 'off'] as const;
export type BackupSchedule = (typeof BACKUP_SCHEDULES)[number];

export const SCHEDULED_BACKUP_DIR = '/var/backups/kubesmith-etcd';
export const BACKUP_UNIT = 'kubesmith-etcd-backup';
const SCRIPT = `${K8S_DIR}/etcd-backup.sh`;

/** A snapshot of this member, then only the newest `keep` stay. A script file, so systemd's own quoting never applies. */
export function backupScript(cluster: Cluster, host: Host, keep: number): string {
  const prefix = `${SCHEDULED_BACKUP_DIR}/${cluster.name}-${host.name}-`;
  return `${
    shJoin(
      [
        raw('#!/bin/sh'),
        raw('# Written by Kubesmith: a scheduled etcd snapshot of this member.'),
        raw('set -eu'),
        sh`install -d -m 0700 ${SCHEDULED_BACKUP_DIR}`,
        sh`f=${prefix}$(date -u +%Y%m%d-%H%M%S).db`,
        etcdctlAt([etcdClientUrl(host)], sh`snapshot save "$f.part"`),
        raw('mv "$f.part" "$f"'),
        // The prefix quoted, the glob after it not: the shell expands only the part that is ours.
        sh`ls -1t ${prefix}*.db | tail -n +${keep + 1} | xargs -r rm -f`,
      ],
      '\n',
    ).command
  }\n`;
}

export function backupTimerUnit(schedule: Exclude<BackupSchedule, 'off'>): string {
  return [
    '# Written by Kubesmith; changes here are overwritten by the next backup schedule.',
    '[Unit]',
    'Description=Scheduled etcd snapshots (Kubesmith)',
    '',
    '[Timer]',
    `OnCalendar=${schedule}`,
    'Persistent=true',
    'RandomizedDelaySec=300',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

/**
 * Snapshots taken on the etcd hosts themselves by a systemd timer, each host keeping its newest `keep`: they go on
 * while this computer is off. "off" removes the timer and leaves the snapshots already taken.
 */
export function backupSchedulePlan(cluster: Cluster, schedule: BackupSchedule, keep: number): Plan {
  const etcdHosts = cluster.hosts.filter((h) => h.roles.includes('etcd'));
  const service = `${UNIT_DIR}/${BACKUP_UNIT}.service`;
  const timer = `${UNIT_DIR}/${BACKUP_UNIT}.timer`;
  const steps = (h: Host): PlanStep[] => {
    const id = (name: string) => `backup/${h.id}/schedule-${name}`;
    if (schedule === 'off') {
      return [
        commandStep(id('remove'), 'Stop and remove the backup timer (snapshots already taken stay)', {
          skipIf: sh`[ ! -e ${timer} ] && [ ! -e ${service} ] && [ ! -e ${SCRIPT} ]`,
          run: sh`systemctl disable --now --quiet ${BACKUP_UNIT}.timer 2>/dev/null; rm -f ${timer} ${service} ${SCRIPT} && systemctl daemon-reload`,
        }),
      ];
    }
    const files = [
      fileStep(id('script'), `Snapshot script (keeps the newest ${keep})`, {
        path: SCRIPT,
        text: backupScript(cluster, h, keep),
        mode: '0755',
      }),
      fileStep(id('service'), 'Snapshot service', {
        path: service,
        text: renderUnit({
          description: 'etcd snapshot (Kubesmith scheduled backup)',
          after: ['etcd.service'],
          type: 'oneshot',
          execStart: [SCRIPT],
          restart: 'no',
        }).replace(/\n\[Install\][\s\S]*$/, '\n'),
      }),
      fileStep(id('timer'), `Timer: ${schedule}`, { path: timer, text: backupTimerUnit(schedule) }),
    ];
    return [...files, unitStep(id('enable'), { unit: `${BACKUP_UNIT}.timer`, inputs: files })];
  };
  return operationPlan(
    cluster,
    'backup-schedule',
    [{ id: 'backup', jobs: etcdHosts.map((h) => job('backup', h, steps(h))) }],
    schedule === 'off'
      ? [`Snapshots already taken stay in ${SCHEDULED_BACKUP_DIR} on each host.`]
      : [
          `Each etcd host takes a snapshot ${schedule} into ${SCHEDULED_BACKUP_DIR} and keeps its newest ${keep}; copy them off the hosts to keep them safe.`,
        ],
  );
}

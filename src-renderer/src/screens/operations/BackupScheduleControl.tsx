import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import { KEEP_MAX, KEEP_MIN, parseKeep, SCHEDULES, type Schedule } from './backup-schedule-form';
import { useOperations } from './store';

/** Snapshots taken on the etcd hosts by a timer, each keeping its newest few; "off" removes the timer. */
export function BackupScheduleControl() {
  const t = useT();
  const busy = useOperations((s) => s.planLoading);
  const ask = useOperations((s) => s.ask);
  const [schedule, setSchedule] = useState<Schedule>('daily');
  const [keepText, setKeepText] = useState('7');
  const keep = parseKeep(keepText);
  return (
    <form
      className="ops-form"
      aria-label={t('ops.schedule.title')}
      onSubmit={(e) => {
        e.preventDefault();
        if (keep !== undefined) void ask({ kind: 'backup-schedule', schedule, keep });
      }}
    >
      <label htmlFor="ops-schedule">{t('ops.schedule.every')}</label>
      <select id="ops-schedule" value={schedule} onChange={(e) => setSchedule(e.target.value as Schedule)}>
        {SCHEDULES.map((s) => (
          <option key={s} value={s}>
            {t(`ops.schedule.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor="ops-schedule-keep">{t('ops.schedule.keep')}</label>
      <input
        id="ops-schedule-keep"
        type="number"
        inputMode="numeric"
        min={KEEP_MIN}
        max={KEEP_MAX}
        value={keepText}
        disabled={schedule === 'off'}
        onChange={(e) => setKeepText(e.target.value)}
        aria-invalid={keep === undefined}
        aria-describedby={keep === undefined ? 'ops-schedule-keep-error' : undefined}
      />
      {keep === undefined && (
        <span id="ops-schedule-keep-error" className="ops-error">
          {t('ops.schedule.keepInvalid', { min: KEEP_MIN, max: KEEP_MAX })}
        </span>
      )}
      <button type="submit" disabled={busy || keep === undefined}>
        {t('ops.schedule.apply')}
      </button>
    </form>
  );
}

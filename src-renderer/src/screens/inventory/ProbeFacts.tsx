import type { ReactNode } from 'react';
import type { ApiError } from '../../../../src-shared/errors';
import type { ProbeResult } from '../../../../src-shared/model/cluster';
import { useT } from '../../i18n/i18n';
import { formatBytes, formatOffset } from './format';

/** What the last probe found on one host, or why it failed: on that host's card only. */
export function ProbeFacts({
  probe,
  probing,
  callError,
  keyChange,
}: {
  probe: ProbeResult | undefined;
  probing: boolean;
  callError: ApiError | undefined;
  /** Shown under a HostKeyMismatch, to trust the new key deliberately. */
  keyChange?: (fingerprint: string) => ReactNode;
}) {
  const t = useT();
  if (probing)
    return (
      <p className="probe-state" aria-live="polite">
        {t('probe.running')}
      </p>
    );
  if (callError) {
    return (
      <p className="probe-error" data-testid="probe-error" data-error-name={callError.name} aria-live="polite">
        <strong>{callError.message}</strong> {callError.hint}
      </p>
    );
  }
  if (!probe) return <p className="probe-state">{t('probe.never')}</p>;
  if (!probe.ok) {
    return (
      <>
        <p className="probe-error" data-testid="probe-error" data-error-name={probe.error?.name}>
          <strong>{probe.error?.message ?? t('probe.failed')}</strong> {probe.error?.hint}
        </p>
        {probe.error?.name === 'HostKeyMismatch' && probe.error.newFingerprint && keyChange?.(probe.error.newFingerprint)}
      </>
    );
  }
  const facts: [string, string | undefined][] = [
    [t('probe.os'), probe.os ? probe.os.pretty || `${probe.os.id} ${probe.os.version}` : undefined],
    [t('probe.arch'), probe.arch],
    [t('probe.cpus'), probe.cpus?.toString()],
    [t('probe.memory'), probe.memoryBytes !== undefined ? formatBytes(probe.memoryBytes) : undefined],
    [t('probe.disk'), probe.diskFreeBytes !== undefined ? formatBytes(probe.diskFreeBytes) : undefined],
    [t('probe.kernel'), probe.kernel],
    [t('probe.cgroup'), probe.cgroupV2 === undefined ? undefined : t(probe.cgroupV2 ? 'probe.yes' : 'probe.no')],
    [
      t('probe.swap'),
      probe.swapBytes === undefined ? undefined : probe.swapBytes === 0 ? t('probe.swapOff') : formatBytes(probe.swapBytes),
    ],
    [t('probe.timeOffset'), probe.timeOffsetMs !== undefined ? formatOffset(probe.timeOffsetMs) : undefined],
    [t('probe.hostname'), probe.hostname],
  ];
  return (
    <dl className="probe-facts" data-testid="probe-facts">
      {facts
        .filter(([, value]) => value !== undefined)
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

import type { LogLine } from '../../../../src-shared/contract/events';
import type { HostRun } from '../../../../src-shared/model/deploy-run';
import { useT } from '../../i18n/i18n';
import { formatBytes } from './format';
import { importProgressOf } from './import-progress';
import { HostProgressBar } from './HostProgressBar';

/** Images done out of the host's list and their bytes, as a labelled progress bar under the row's step. */
export function ImportProgress({ host, lines }: { host: HostRun; lines: readonly LogLine[] | undefined }) {
  const t = useT();
  const p = importProgressOf(host, lines);
  if (!p) return null;
  const bytes = { bytes: formatBytes(p.doneBytes), totalBytes: formatBytes(p.totalBytes) };
  const text =
    p.state === 'importing'
      ? t('deploy.import.importing', { current: p.done + 1, total: p.total, ref: p.ref, ...bytes })
      : t('deploy.import.imported', { done: p.done, total: p.total, ...bytes });
  return <HostProgressBar max={p.totalBytes} value={p.doneBytes} label={t('deploy.import.label', { host: host.hostName })} text={text} />;
}

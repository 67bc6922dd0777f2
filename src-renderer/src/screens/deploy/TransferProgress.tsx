import type { HostRun } from '../../../../src-shared/model/deploy-run';
import { useT, type Translate } from '../../i18n/i18n';
import { formatBytes, formatElapsed } from './format';
import { HostProgressBar } from './HostProgressBar';

/** The text of a host's upload: file, bytes, speed and time left (or that the speed is being measured). */
export function transferText(t: Translate, transfer: NonNullable<HostRun['transfer']>): string {
  const values = {
    file: transfer.path.slice(transfer.path.lastIndexOf('/') + 1),
    bytes: formatBytes(transfer.doneBytes),
    totalBytes: formatBytes(transfer.totalBytes),
  };
  if (transfer.secondsLeft === undefined || transfer.bytesPerSecond === 0) return t('deploy.transfer.measuring', values);
  return t('deploy.transfer.progress', {
    ...values,
    speed: formatBytes(transfer.bytesPerSecond),
    left: formatElapsed(transfer.secondsLeft * 1000),
  });
}

/** The upload a host receives now, as a labelled progress bar under the row's step. */
export function TransferProgress({ host }: { host: HostRun }) {
  const t = useT();
  const transfer = host.transfer;
  if (!transfer || host.state !== 'running') return null;
  const text = transferText(t, transfer);
  return (
    <HostProgressBar
      className="deploy-transfer"
      max={transfer.totalBytes}
      value={transfer.doneBytes}
      label={t('deploy.transfer.label', { host: host.hostName })}
      text={text}
    />
  );
}

import { useT } from '../../i18n/i18n';
import { useOperations } from './store';

/** After a host failed: look at it in a terminal, or resume the operation from where it stopped. */
export function OperationCauseActions({ hostId }: { hostId: string }) {
  const t = useT();
  const running = useOperations((s) => s.running || s.starting);
  // Resume runs the plan the user confirmed, so only while that plan is still the one shown.
  const resumable = useOperations((s) => s.plan !== undefined && s.request !== undefined && s.started === s.request);
  const start = useOperations((s) => s.start);
  return (
    <>
      <a className="button" href={`#/terminals/${encodeURIComponent(hostId)}`}>
        {t('ops.openTerminal')}
      </a>
      {resumable && (
        <button type="button" disabled={running} onClick={() => void start('resume')}>
          {t('ops.resume')}
        </button>
      )}
    </>
  );
}

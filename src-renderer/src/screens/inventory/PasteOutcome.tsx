import type { PasteResult } from '../../../../src-shared/inventory/paste-hosts';
import { useT } from '../../i18n/i18n';

/** What a pasted list will add, or each line that is wrong and why; read out as it changes. */
export function PasteOutcome({ id, text, parsed }: { id: string; text: string; parsed: PasteResult }) {
  const t = useT();
  return (
    <div id={id} aria-live="polite">
      {parsed.errors.length > 0 ? (
        <ul className="paste-errors" data-testid="paste-errors">
          {parsed.errors.map((err) => (
            <li key={`${err.line}-${err.code}`}>
              {t('paste.lineError', { line: err.line, problem: t(`paste.error.${err.code}`, err.params) })}
            </li>
          ))}
        </ul>
      ) : (
        text.trim() !== '' && <p className="form-note">{t('paste.willAdd', { count: parsed.hosts.length })}</p>
      )}
    </div>
  );
}

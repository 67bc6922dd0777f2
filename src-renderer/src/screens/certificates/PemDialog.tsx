import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/i18n';

export function PemDialog({ id, pem, onClose }: { id: string; pem: string; onClose: () => void }) {
  const t = useT();
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="modal-backdrop">
      <div
        className="modal modal-wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="pem-title"
        onKeyDown={(e) => e.key === 'Escape' && onClose()}
      >
        <h2 id="pem-title">{t('certs.pemOf', { id })}</h2>
        <pre className="pem" data-testid="pem">
          {pem}
        </pre>
        <div className="modal-actions">
          <button type="button" ref={close} onClick={onClose}>
            {t('certs.close')}
          </button>
        </div>
      </div>
    </div>
  );
}

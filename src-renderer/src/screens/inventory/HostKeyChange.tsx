import { useState } from 'react';
import { call } from '../../api/client';
import { useT } from '../../i18n/i18n';
import { useErrors } from '../../stores/errors';

/** After a HostKeyMismatch: the new fingerprint, and a deliberate two-step way to trust it. */
export function HostKeyChange(props: { cluster: string; hostId: string; hostName: string; fingerprint: string; onAccepted(): void }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const accept = async () => {
    try {
      await call('hostKeys.acceptChanged', { cluster: props.cluster, hostId: props.hostId, fingerprint: props.fingerprint });
      props.onAccepted();
    } catch (err) {
      useErrors.getState().show(err);
    } finally {
      setConfirming(false);
    }
  };
  return (
    <div className="host-key-change">
      <p className="fingerprint" data-testid="new-host-key">
        {t('probe.keyChanged.new', { fingerprint: props.fingerprint })}
      </p>
      {confirming ? (
        <>
          <button type="button" className="danger" onClick={() => void accept()}>
            {t('probe.keyChanged.confirm', { name: props.hostName, fingerprint: props.fingerprint })}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('probe.keyChanged.cancel')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('probe.keyChanged.accept')}
        </button>
      )}
    </div>
  );
}

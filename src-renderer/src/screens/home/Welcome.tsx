import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import { NewClusterDialog } from './NewClusterDialog';

/** The first screen of an empty app: what Kubesmith does, and the two ways to start. */
export function Welcome() {
  const t = useT();
  const [dialog, setDialog] = useState<'hosts' | 'import'>();
  return (
    <div className="welcome">
      <p className="welcome-lead">{t('welcome.line1')}</p>
      <p className="welcome-lead">{t('welcome.line2')}</p>
      <div className="welcome-actions">
        <button type="button" className="primary" onClick={() => setDialog('hosts')}>
          {t('welcome.newCluster')}
        </button>
        <button type="button" onClick={() => setDialog('import')}>
          {t('welcome.import')}
        </button>
      </div>
      {dialog && <NewClusterDialog mode={dialog} onClose={() => setDialog(undefined)} />}
    </div>
  );
}

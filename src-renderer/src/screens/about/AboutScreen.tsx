import { useEffect } from 'react';
import type { UpdateStatus } from '../../../../src-shared/contract/api';
import { ScreenFrame } from '../../app/ScreenFrame';
import { useT, type Translate } from '../../i18n/i18n';
import { followUpdates, useAbout } from './about-store';

function updateLine(t: Translate, update: UpdateStatus): string {
  const version = update.version ?? update.currentVersion;
  return t(`about.phase.${update.phase}`, { version, percent: Math.round(update.percent ?? 0) });
}

function UpdatePanel({ update }: { update: UpdateStatus }) {
  const t = useT();
  const { busy, check, restart } = useAbout();
  const canRestart = update.phase === 'ready' && update.waitingFor.length === 0;
  return (
    <section aria-labelledby="about-updates">
      <h3 id="about-updates">{t('about.updates')}</h3>
      <p data-testid="update-status" data-phase={update.phase} role="status">
        {updateLine(t, update)}
        {update.message && <> {update.message}</>}
      </p>
      {update.phase !== 'unsupported' && <p>{t('about.channel', { channel: update.channel })}</p>}
      {update.waitingFor.length > 0 && <p>{t('about.waitingFor', { clusters: update.waitingFor.join(', ') })}</p>}
      {update.phase !== 'unsupported' && (
        <p className="actions">
          <button
            type="button"
            onClick={() => void check()}
            disabled={busy || update.phase === 'checking' || update.phase === 'downloading'}
          >
            {t('about.check')}
          </button>{' '}
          {update.phase === 'ready' && (
            <button type="button" className="primary" onClick={() => void restart()} disabled={!canRestart}>
              {t('about.restart')}
            </button>
          )}
        </p>
      )}
      {update.releaseNotes && update.version && (
        <details open>
          <summary>{t('about.releaseNotes', { version: update.version })}</summary>
          {/* Shown as text: release notes come from the network and are never rendered as HTML. */}
          <pre className="release-notes">{update.releaseNotes}</pre>
        </details>
      )}
    </section>
  );
}

export function AboutScreen() {
  const t = useT();
  const { about, load } = useAbout();
  useEffect(() => {
    void load();
    return followUpdates();
  }, [load]);
  return (
    <ScreenFrame title="nav.about" intro="screen.about.intro">
      {about && (
        <>
          <h3>{t('about.versions')}</h3>
          <dl className="settings-list" data-testid="about-versions">
            <dt>{t('about.kubesmith')}</dt>
            <dd>{about.version}</dd>
            {about.electron && (
              <>
                <dt>{t('about.electron')}</dt>
                <dd>{about.electron}</dd>
              </>
            )}
            {about.chromium && (
              <>
                <dt>{t('about.chromium')}</dt>
                <dd>{about.chromium}</dd>
              </>
            )}
            <dt>{t('about.node')}</dt>
            <dd>{about.node}</dd>
            <dt>{t('about.mode')}</dt>
            <dd>{t(about.mode === 'electron' ? 'about.mode.electron' : 'about.mode.browser')}</dd>
            <dt>{t('about.dataDir')}</dt>
            <dd>{about.dataDir}</dd>
          </dl>
          <UpdatePanel update={about.update} />
        </>
      )}
    </ScreenFrame>
  );
}

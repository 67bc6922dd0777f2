import { memo, useState } from 'react';
import type { Host } from '../../../../src-shared/model/cluster';
import { useT } from '../../i18n/i18n';
import { useClusters } from '../../stores/clusters';
import { useInventory } from '../../stores/inventory';
import { openTerminalOn } from '../../stores/terminals';
import { HostForm } from './HostForm';
import { HostKeyChange } from './HostKeyChange';
import { ProbeFacts } from './ProbeFacts';

/** One machine of the inventory: how Kubesmith logs in, what its probe found, and what can be done with it. */
export const HostCard = memo(function HostCard({ host, jumpName }: { host: Host; jumpName: string | undefined }) {
  const t = useT();
  const secrets = useInventory((s) => s.secrets[host.id]);
  const probing = useInventory((s) => s.probing[host.id] ?? false);
  const callError = useInventory((s) => s.probeErrors[host.id]);
  const { probe, remove } = useInventory.getState();
  const clusterName = useClusters((s) => s.current?.name);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const target = `${host.user}@${host.address.includes(':') ? `[${host.address}]` : host.address}${host.port === 22 ? '' : `:${host.port}`}`;
  const authText = host.auth.kind === 'key' ? t('host.auth.key', { path: host.auth.keyPath }) : t(`host.auth.${host.auth.kind}`);
  const secretBadges: string[] = [];
  if (host.auth.kind === 'password') secretBadges.push(t(secrets?.password ? 'host.passwordSaved' : 'host.passwordNotSaved'));
  if (host.auth.kind === 'key' && host.auth.hasPassphrase)
    secretBadges.push(t(secrets?.passphrase ? 'host.passphraseSaved' : 'host.passphraseNotSaved'));
  if (host.sudo === 'password') secretBadges.push(t(secrets?.sudoPassword ? 'host.sudoPasswordSaved' : 'host.sudoPasswordNotSaved'));

  return (
    <li className="host-card" data-host-id={host.id} data-host-name={host.name} aria-label={t('host.label', { name: host.name })}>
      <div className="host-card-head">
        <div>
          <strong className="host-name">{host.name}</strong> <span className="host-target">{target}</span>
        </div>
        <div className="host-roles">
          {host.roles.length === 0 ? (
            <span className="role-badge role-none">{t('host.noRole')}</span>
          ) : (
            host.roles.map((r) => (
              <span key={r} className={`role-badge role-${r}`}>
                {t(`lane.${r}`)}
              </span>
            ))
          )}
        </div>
      </div>
      <p className="host-login">
        {authText} · {t(`host.sudo.${host.sudo}`)}
        {host.jump && <> · {t('host.via', { jump: host.jump.kind === 'spec' ? host.jump.spec : (jumpName ?? '?') })}</>}
        {secretBadges.map((b) => (
          <span key={b} className="secret-badge" data-testid="secret-badge">
            {b}
          </span>
        ))}
      </p>
      <ProbeFacts
        probe={host.probe}
        probing={probing}
        callError={callError}
        keyChange={(fingerprint) =>
          clusterName && (
            <HostKeyChange
              cluster={clusterName}
              hostId={host.id}
              hostName={host.name}
              fingerprint={fingerprint}
              onAccepted={() => void probe(host.id)}
            />
          )
        }
      />
      <div className="host-card-actions">
        <button type="button" onClick={() => void probe(host.id)} disabled={probing}>
          {t('host.probe')}
        </button>
        <button type="button" onClick={() => clusterName && openTerminalOn(clusterName, host.id, host.name)} disabled={!clusterName}>
          {t('terminals.open')}
        </button>
        <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          {t('host.edit')}
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={() => void remove(host.id)}>
              {t('host.confirmRemove', { name: host.name })}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('hostForm.cancel')}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            {t('host.remove')}
          </button>
        )}
      </div>
      {editing && <HostForm host={host} onDone={() => setEditing(false)} />}
    </li>
  );
});

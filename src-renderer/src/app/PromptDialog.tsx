import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Prompt } from '../../../src-shared/contract/prompts';
import { useT } from '../i18n/i18n';
import { answerHostKey, answerSecret, usePrompts } from '../stores/prompts';

/** The backend's oldest open question, as a modal: trust a host key, or give a password. */
export function PromptDialog() {
  const prompt = usePrompts((s) => s.queue[0]);
  if (!prompt) return null;
  return (
    <div className="modal-backdrop">
      {prompt.kind === 'hostKey' ? (
        <HostKeyDialog key={prompt.promptId} prompt={prompt} />
      ) : (
        <SecretDialog key={prompt.promptId} prompt={prompt} />
      )}
    </div>
  );
}

function HostKeyDialog({ prompt }: { prompt: Extract<Prompt, { kind: 'hostKey' }> }) {
  const t = useT();
  const reject = useRef<HTMLButtonElement>(null);
  useEffect(() => reject.current?.focus(), []);
  const host = prompt.port === 22 ? prompt.host : `[${prompt.host}]:${prompt.port}`;
  const algo = prompt.keyType.replace(/^ssh-/, '').replace(/^ecdsa-.*/, 'ecdsa');
  return (
    <div
      className="modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="prompt-title"
      onKeyDown={(e) => e.key === 'Escape' && void answerHostKey(prompt.promptId, false)}
    >
      <h2 id="prompt-title">{t('prompt.hostKey.title')}</h2>
      <p>{t('prompt.hostKey.body', { host, keyType: prompt.keyType })}</p>
      <p className="fingerprint" data-testid="host-key-fingerprint">
        {prompt.fingerprint}
      </p>
      <p className="screen-intro">{t('prompt.hostKey.check', { algo })}</p>
      <div className="modal-actions">
        <button type="button" ref={reject} onClick={() => void answerHostKey(prompt.promptId, false)}>
          {t('prompt.hostKey.reject')}
        </button>
        <button type="button" className="primary" onClick={() => void answerHostKey(prompt.promptId, true)}>
          {t('prompt.hostKey.accept')}
        </button>
      </div>
    </div>
  );
}

function SecretDialog({ prompt }: { prompt: Extract<Prompt, { kind: 'secret' }> }) {
  const t = useT();
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void answerSecret(prompt.promptId, value);
  };
  const label = t(`prompt.secret.${prompt.secretKind}`, { host: prompt.host });
  return (
    <form
      className="modal"
      role="dialog"
      aria-modal="true"
      aria-labelledby="prompt-title"
      onSubmit={submit}
      onKeyDown={(e) => e.key === 'Escape' && void answerSecret(prompt.promptId, undefined)}
    >
      <h2 id="prompt-title">{t('prompt.secret.title')}</h2>
      <label className="field">
        <span>{label}</span>
        <input type="password" autoFocus autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <p className="screen-intro">{t('prompt.secret.note')}</p>
      <div className="modal-actions">
        <button type="button" onClick={() => void answerSecret(prompt.promptId, undefined)}>
          {t('prompt.secret.cancel')}
        </button>
        <button type="submit" className="primary">
          {t('prompt.secret.ok')}
        </button>
      </div>
    </form>
  );
}

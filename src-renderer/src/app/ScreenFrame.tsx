import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/en';
import { useT } from '../i18n/i18n';

export function ScreenFrame({ title, intro, children }: { title: MessageKey; intro: MessageKey; children?: ReactNode }) {
  const t = useT();
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h2 id="screen-title">{t(title)}</h2>
      <p className="screen-intro">{t(intro)}</p>
      {children ?? <p className="screen-empty">{t('screen.empty')}</p>}
    </section>
  );
}

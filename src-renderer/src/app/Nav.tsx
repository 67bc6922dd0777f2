import { useT } from '../i18n/i18n';
import { hrefFor, SCREEN_LABELS, SCREENS, type Screen } from './routes';

export function Nav({ current }: { current: Screen }) {
  const t = useT();
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <ul>
        {SCREENS.map((screen) => (
          <li key={screen}>
            <a href={hrefFor(screen)} aria-current={screen === current ? 'page' : undefined} data-screen={screen}>
              {t(SCREEN_LABELS[screen])}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

import { ScreenFrame } from '../../app/ScreenFrame';
import { THEMES, useTheme, type Theme } from '../../app/theme';
import { LOCALES, useI18n, useT, type Locale } from '../../i18n/i18n';
import { useConnection } from '../../stores/connection';

export function SettingsScreen() {
  const t = useT();
  const { locale, setLocale } = useI18n();
  const info = useConnection((s) => s.info);
  const { theme, setTheme } = useTheme();
  return (
    <ScreenFrame title="nav.settings" intro="screen.settings.intro">
      <dl className="settings-list">
        <dt>
          <label htmlFor="language">{t('settings.language')}</label>
        </dt>
        <dd>
          <select id="language" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            {Object.entries(LOCALES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </dd>
        <dt>
          <label htmlFor="theme">{t('settings.theme')}</label>
        </dt>
        <dd>
          <select id="theme" value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            {THEMES.map((value) => (
              <option key={value} value={value}>
                {t(`settings.theme.${value}`)}
              </option>
            ))}
          </select>
        </dd>
        {info && (
          <>
            <dt>{t('settings.secrets')}</dt>
            <dd data-testid="secret-protection">{info.secretProtection}</dd>
            <dt>{t('settings.dataDir')}</dt>
            <dd>{info.dataDir}</dd>
            <dt>{t('settings.version')}</dt>
            <dd>{info.version}</dd>
          </>
        )}
      </dl>
    </ScreenFrame>
  );
}

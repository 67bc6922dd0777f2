import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { applyTheme, useTheme } from './app/theme';
import { useI18n } from './i18n/i18n';
import './styles.css';

document.documentElement.lang = useI18n.getState().locale;
applyTheme(useTheme.getState().theme);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

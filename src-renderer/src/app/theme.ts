import { create } from 'zustand';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
const STORAGE_KEY = 'kubesmith.theme';

function savedTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return (THEMES as readonly string[]).includes(saved ?? '') ? (saved as Theme) : 'system';
}

/** "system" leaves the colours to prefers-color-scheme; light or dark pins them (data-theme on <html>, styles.css). */
export function applyTheme(theme: Theme): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

interface ThemeState {
  theme: Theme;
  setTheme(theme: Theme): void;
}

export const useTheme = create<ThemeState>((set) => ({
  theme: savedTheme(),
  setTheme: (theme) => {
    globalThis.localStorage?.setItem(STORAGE_KEY, theme);
    applyTheme(theme);
    set({ theme });
  },
}));

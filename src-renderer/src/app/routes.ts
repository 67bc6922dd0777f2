import { useSyncExternalStore } from 'react';
import type { MessageKey } from '../i18n/en';

export const SCREENS = [
  'home',
  'inventory',
  'topology',
  'certificates',
  'deploy',
  'operations',
  'terminals',
  'bundle',
  'settings',
  'about',
] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_LABELS: Record<Screen, MessageKey> = {
  home: 'nav.home',
  inventory: 'nav.inventory',
  topology: 'nav.topology',
  certificates: 'nav.certificates',
  deploy: 'nav.deploy',
  operations: 'nav.operations',
  terminals: 'nav.terminals',
  bundle: 'nav.bundle',
  settings: 'nav.settings',
  about: 'nav.about',
};

/** Hash routes (#/topology) work the same under app:// in Electron and http:// in browser mode. */
export function screenFromHash(hash: string): Screen {
  const name = hash.replace(/^#\/?/, '').split('/')[0];
  return (SCREENS as readonly string[]).includes(name ?? '') ? (name as Screen) : 'home';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useScreen(): Screen {
  return useSyncExternalStore(subscribe, () => screenFromHash(window.location.hash));
}

export function hrefFor(screen: Screen): string {
  return `#/${screen}`;
}

/** The part after the screen, e.g. a host id in #/terminals/<hostId>. */
export function routeParam(hash: string): string | undefined {
  const part = hash.replace(/^#\/?/, '').split('/')[1];
  return part ? decodeURIComponent(part) : undefined;
}

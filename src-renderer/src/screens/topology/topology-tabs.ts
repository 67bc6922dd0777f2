import { useSyncExternalStore } from 'react';

export const TOPOLOGY_TABS = ['roles', 'graph', 'settings'] as const;
export type TopologyTab = (typeof TOPOLOGY_TABS)[number];

/** The tab is the route's second part (#/topology/settings), so a reload keeps it. */
export function tabFromHash(hash: string): TopologyTab {
  const tab = hash.replace(/^#\/?/, '').split('/')[1];
  return (TOPOLOGY_TABS as readonly string[]).includes(tab ?? '') ? (tab as TopologyTab) : 'roles';
}

export function hrefForTab(tab: TopologyTab): string {
  return tab === 'roles' ? '#/topology' : `#/topology/${tab}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useTopologyTab(): TopologyTab {
  return useSyncExternalStore(subscribe, () => tabFromHash(window.location.hash));
}

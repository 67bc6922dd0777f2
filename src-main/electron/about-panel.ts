import type { AboutPanelOptionsOptions } from 'electron';

/** The native About panel (macOS app menu, Linux): the versions the About screen shows too. */
export function aboutPanelOptions(appVersion: string, versions: NodeJS.ProcessVersions): AboutPanelOptionsOptions {
  const runtime = `Electron ${versions.electron ?? '?'} · Chromium ${versions.chrome ?? '?'} · Node.js ${versions.node}`;
  return {
    applicationName: 'Kubesmith',
    applicationVersion: appVersion,
    version: runtime,
    copyright: 'Copyright © 2026 Kubesmith contributors',
    credits: runtime,
  };
}

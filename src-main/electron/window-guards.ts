import type { Session, WebContents } from 'electron';
import { isSafeExternalUrl } from './external-links';
import { isAppUrl } from './window-options';

export interface ExternalLinkPolicy {
  /** Asks the user whether to open the link in their browser. */
  confirm(url: string): Promise<boolean>;
  open(url: string): Promise<void>;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * No navigation away from the app and no new windows. An https link the page tries to open
 * goes to the user's browser, after they confirm; anything else is dropped.
 */
export function guardWebContents(contents: GuardedContents, links: ExternalLinkPolicy): void {
  const offerExternal = (url: string) => {
    if (!isSafeExternalUrl(url)) return;
    void links.confirm(url).then((ok) => (ok ? links.open(url) : undefined));
  };
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    offerExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    offerExternal(url);
    return { action: 'deny' };
  });
}

export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, guardWebContents } from './window-guards';

/** Records what the guards register; real WebContents exist only inside Electron. */
function recordingContents() {
  const emitter = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  return {
    on: (name: string, listener: (...args: unknown[]) => void) => emitter.on(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => {
      openHandler = handler;
    },
    navigate(name: string, url: string) {
      const event = { preventDefault: vi.fn() };
      emitter.emit(name, event, url);
      return event.preventDefault.mock.calls.length > 0;
    },
    open: (url: string) => openHandler!({ url }),
  };
}

describe('guardWebContents', () => {
  it('blocks navigation and redirects away from the app, and webviews', () => {
    const contents = recordingContents();
    guardWebContents(contents as never, { confirm: async () => false, open: async () => {} });
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', 'http://127.0.0.1:1/')).toBe(true);
    expect(contents.navigate('will-attach-webview', 'x')).toBe(true);
    expect(contents.navigate('will-navigate', 'app://kubesmith/index.html#/topology')).toBe(false);
  });

  it('denies every new window; an https link opens in the browser only after the user confirms', async () => {
    const contents = recordingContents();
    const confirm = vi.fn(async (url: string) => url.includes('yes'));
    const open = vi.fn(async () => {});
    guardWebContents(contents as never, { confirm, open });
    expect(contents.open('https://kubernetes.io/yes')).toEqual({ action: 'deny' });
    expect(contents.open('https://kubernetes.io/no')).toEqual({ action: 'deny' });
    expect(contents.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(open).toHaveBeenCalledExactlyOnceWith('https://kubernetes.io/yes');
  });
});

describe('denyAllPermissions', () => {
  it('refuses every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
    } as never);
    const answer = vi.fn();
    request!(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });
});

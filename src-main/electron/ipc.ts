import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_NAMES } from '../../src-shared/contract/api';
import type { ApiResult } from '../../src-shared/contract/define';
import { ipcCallChannel, ipcEventChannel } from '../../src-shared/contract/wire';
import type { Backend } from '../backend';
import { isAppUrl } from './window-options';

/**
 * One ipcMain handler per contract method, nothing else. Each checks that the
 * call comes from the app's own top frame before the dispatcher validates the payload.
 */
export function registerApiIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, backend: Backend): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcCallChannel(method), async (event: IpcMainInvokeEvent, payload: unknown): Promise<ApiResult<unknown>> => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { name: 'ForbiddenSender', message: 'Only the Kubesmith window may call its API.' } };
      }
      return backend.dispatch(method, payload);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(ipcCallChannel(method));
  };
}

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Forwards backend events to a window, on the event's own channel. */
export function forwardEvents(backend: Backend, contents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  return backend.events.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcEventChannel(event), payload);
  });
}

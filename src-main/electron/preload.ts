import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES } from '../../src-shared/contract/api';
import { EVENT_NAMES } from '../../src-shared/contract/events';
import { ipcCallChannel, ipcEventChannel } from '../../src-shared/contract/wire';

// Exposes exactly the contract: a function per method and a subscription per event. No generic channel.
const call = Object.fromEntries(
  METHOD_NAMES.map((method) => [method, (input: unknown) => ipcRenderer.invoke(ipcCallChannel(method), input)]),
);

function on(event: string, listener: (payload: unknown) => void): () => void {
  if (!(EVENT_NAMES as string[]).includes(event)) throw new Error(`Unknown event ${event}`);
  const channel = ipcEventChannel(event);
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

contextBridge.exposeInMainWorld('kubesmith', { call, on });

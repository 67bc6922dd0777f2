import { create } from 'zustand';
import { call, onEvent, toApiError } from '../api/client';
import { createTerminal, disposeTerminal, getTerminal, terminalBySession, writeOutput } from '../screens/terminals/terminal-registry';

export interface TerminalTab {
  key: string;
  cluster: string;
  hostId: string;
  name: string;
  state: 'connecting' | 'open' | 'ended';
  reason?: string;
}

const FONT_KEY = 'kubesmith.terminalFontSize';

interface TerminalsStore {
  tabs: TerminalTab[];
  active: string | undefined;
  fontSize: number;
  /** Opens a new tab on a host and connects it. */
  open(cluster: string, hostId: string, name: string): Promise<void>;
  connect(key: string): Promise<void>;
  close(key: string): void;
  activate(key: string): void;
  setFontSize(size: number): void;
}

let nextKey = 1;

const update = (key: string, patch: Partial<TerminalTab>) =>
  useTerminals.setState((s) => ({ tabs: s.tabs.map((t) => (t.key === key ? { ...t, ...patch } : t)) }));

export const useTerminals = create<TerminalsStore>((set, get) => ({
  tabs: [],
  active: undefined,
  fontSize: Number(localStorage.getItem(FONT_KEY)) || 14,
  async open(cluster, hostId, name) {
    const key = `t${nextKey++}`;
    set((s) => ({ tabs: [...s.tabs, { key, cluster, hostId, name, state: 'connecting' }], active: key }));
    createTerminal(key, get().fontSize);
    await get().connect(key);
  },
  async connect(key) {
    const tab = get().tabs.find((t) => t.key === key);
    if (!tab) return;
    const live = createTerminal(key, get().fontSize);
    update(key, { state: 'connecting', reason: undefined });
    try {
      live.fit.fit();
      const opened = await call('terminal.open', {
        cluster: tab.cluster,
        hostId: tab.hostId,
        cols: Math.max(live.term.cols, 2),
        rows: Math.max(live.term.rows, 1),
      });
      live.sessionId = opened.sessionId;
      update(key, { state: 'open' });
      live.term.focus();
    } catch (err) {
      const error = toApiError(err);
      live.term.write(`\r\n\x1b[31m${error.message}\x1b[0m\r\n${error.hint ? `${error.hint}\r\n` : ''}`);
      update(key, { state: 'ended', reason: error.message });
    }
  },
  close(key) {
    const tab = get().tabs.find((t) => t.key === key);
    if (!tab) return;
    const live = getTerminal(key);
    if (live?.sessionId) void call('terminal.close', { sessionId: live.sessionId }).catch(() => undefined);
    disposeTerminal(key);
    set((s) => {
      const tabs = s.tabs.filter((t) => t.key !== key);
      return { tabs, active: s.active === key ? tabs[tabs.length - 1]?.key : s.active };
    });
  },
  activate: (key) => set({ active: key }),
  setFontSize(size) {
    localStorage.setItem(FONT_KEY, String(size));
    set({ fontSize: size });
  },
}));

onEvent('terminal.data', ({ sessionId, data }) => {
  const live = terminalBySession(sessionId);
  if (live) writeOutput(live, data);
});

onEvent('terminal.exit', ({ sessionId, reason }) => {
  const live = terminalBySession(sessionId);
  if (!live) return;
  live.sessionId = undefined;
  live.term.write(`\r\n\x1b[33m[${reason}]\x1b[0m\r\n`);
  update(live.key, { state: 'ended', reason });
});

/** For "Open terminal" buttons on host cards and deploy rows. */
export function openTerminalOn(cluster: string, hostId: string, name: string): void {
  window.location.hash = '#/terminals';
  void useTerminals.getState().open(cluster, hostId, name);
}

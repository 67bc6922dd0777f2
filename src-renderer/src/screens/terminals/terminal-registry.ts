import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import { call } from '../../api/client';

/** How many drawn bytes are gathered before one ack goes back; fewer calls, same back-pressure. */
const ACK_BATCH_BYTES = 32 * 1024;
const ACK_DELAY_MS = 50;

export interface LiveTerminal {
  readonly key: string;
  readonly term: Terminal;
  readonly fit: FitAddon;
  readonly search: SearchAddon;
  /** The element xterm draws into; moved between screens so scrollback survives navigation. */
  readonly element: HTMLDivElement;
  sessionId: string | undefined;
  unacked: number;
  ackTimer: ReturnType<typeof setTimeout> | undefined;
}

const terminals = new Map<string, LiveTerminal>();

export function getTerminal(key: string): LiveTerminal | undefined {
  return terminals.get(key);
}

export function createTerminal(key: string, fontSize: number): LiveTerminal {
  const existing = terminals.get(key);
  if (existing) return existing;
  const element = document.createElement('div');
  element.className = 'terminal-host';
  const term = new Terminal({
    fontSize,
    fontFamily: "'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', 'Cascadia Mono', Menlo, monospace",
    cursorBlink: true,
    scrollback: 10_000,
    allowProposedApi: true,
    rightClickSelectsWord: false,
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.open(element);
  const live: LiveTerminal = { key, term, fit, search, element, sessionId: undefined, unacked: 0, ackTimer: undefined };
  wireInput(live);
  terminals.set(key, live);
  return live;
}

export function disposeTerminal(key: string): void {
  const live = terminals.get(key);
  if (!live) return;
  if (live.ackTimer) clearTimeout(live.ackTimer);
  live.term.dispose();
  live.element.remove();
  terminals.delete(key);
}

export function terminalBySession(sessionId: string): LiveTerminal | undefined {
  for (const live of terminals.values()) if (live.sessionId === sessionId) return live;
  return undefined;
}

/** Draws host output, then tells the backend how much was drawn so it can send more. */
export function writeOutput(live: LiveTerminal, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const sessionId = live.sessionId;
  live.term.write(bytes, () => {
    if (live.sessionId !== sessionId || !sessionId) return;
    live.unacked += bytes.length;
    if (live.unacked >= ACK_BATCH_BYTES) flushAck(live);
    else live.ackTimer ??= setTimeout(() => flushAck(live), ACK_DELAY_MS);
  });
}

function flushAck(live: LiveTerminal): void {
  if (live.ackTimer) clearTimeout(live.ackTimer);
  live.ackTimer = undefined;
  const bytes = live.unacked;
  live.unacked = 0;
  if (bytes > 0 && live.sessionId) void call('terminal.ack', { sessionId: live.sessionId, bytes }).catch(() => undefined);
}

function sendInput(live: LiveTerminal, data: string): void {
  if (live.sessionId) void call('terminal.input', { sessionId: live.sessionId, data }).catch(() => undefined);
}

async function pasteFromClipboard(live: LiveTerminal): Promise<void> {
  try {
    const text = await navigator.clipboard.readText();
    if (text) live.term.paste(text);
  } catch {
    // Clipboard access denied by the browser: nothing to paste.
  }
}

function wireInput(live: LiveTerminal): void {
  const { term, element } = live;
  term.onData((data) => sendInput(live, data));
  term.onBinary((data) => sendInput(live, data));
  term.onSelectionChange(() => {
    const text = term.getSelection();
    if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
  });
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
    if (event.code === 'KeyC') {
      const text = term.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      return false;
    }
    if (event.code === 'KeyV') {
      void pasteFromClipboard(live);
      return false;
    }
    return true;
  });
  element.addEventListener('contextmenu', (event) => {
    event.preventDefault();
    void pasteFromClipboard(live);
  });
}

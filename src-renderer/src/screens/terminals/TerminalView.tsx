import { useEffect, useRef } from 'react';
import { call } from '../../api/client';
import { createTerminal } from './terminal-registry';

const RESIZE_DEBOUNCE_MS = 120;

/** Shows one live terminal: its element is moved in here, and the pane's size follows the window. */
export function TerminalView({ tabKey, fontSize }: { tabKey: string; fontSize: number }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const box = container.current;
    if (!box) return;
    const live = createTerminal(tabKey, fontSize);
    box.appendChild(live.element);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refit = () => {
      const { cols, rows } = live.term;
      live.fit.fit();
      if ((live.term.cols !== cols || live.term.rows !== rows) && live.sessionId) {
        void call('terminal.resize', { sessionId: live.sessionId, cols: live.term.cols, rows: live.term.rows }).catch(() => undefined);
      }
    };
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(refit, RESIZE_DEBOUNCE_MS);
    });
    observer.observe(box);
    refit();
    live.term.focus();
    return () => {
      clearTimeout(timer);
      observer.disconnect();
      live.element.remove();
    };
  }, [tabKey, fontSize]);

  useEffect(() => {
    const live = createTerminal(tabKey, fontSize);
    if (live.term.options.fontSize !== fontSize) {
      live.term.options.fontSize = fontSize;
      live.fit.fit();
    }
  }, [tabKey, fontSize]);

  return <div className="terminal-pane" ref={container} data-testid="terminal-pane" />;
}

import { useState } from 'react';
import { useT } from '../../i18n/i18n';
import { getTerminal } from './terminal-registry';

export function TerminalSearch({ tabKey }: { tabKey: string }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const find = (forward: boolean) => {
    const live = getTerminal(tabKey);
    if (!live || !query) return;
    if (forward) live.search.findNext(query);
    else live.search.findPrevious(query);
  };
  return (
    <div className="terminal-search" role="search">
      <input
        type="search"
        value={query}
        placeholder={t('terminals.search')}
        aria-label={t('terminals.search')}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') find(!e.shiftKey);
        }}
      />
      <button type="button" onClick={() => find(false)} aria-label={t('terminals.searchPrev')}>
        ↑
      </button>
      <button type="button" onClick={() => find(true)} aria-label={t('terminals.searchNext')}>
        ↓
      </button>
    </div>
  );
}

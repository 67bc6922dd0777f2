import { useState, type FormEvent } from 'react';
import { useT } from '../i18n/i18n';
import { useClusters } from '../stores/clusters';
import { hrefFor, screenFromHash } from './routes';

export function ClusterPicker() {
  const t = useT();
  const { list, current, broken, open, create } = useClusters();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await create(name.trim())) {
      setCreating(false);
      setName('');
      // A new cluster has no machines yet: from Home, go where they are added.
      if (screenFromHash(window.location.hash) === 'home') window.location.hash = hrefFor('inventory');
    }
  };

  if (creating) {
    return (
      <form className="cluster-picker" onSubmit={submit}>
        <label>
          <span className="visually-hidden">{t('cluster.newName')}</span>
          <input
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t('cluster.newName')}
            aria-label={t('cluster.newName')}
          />
        </label>
        <button type="submit" disabled={!name.trim()}>
          {t('cluster.create')}
        </button>
        <button type="button" onClick={() => setCreating(false)}>
          {t('cluster.cancel')}
        </button>
      </form>
    );
  }
  return (
    <div className="cluster-picker">
      <label>
        <span>{t('cluster.label')}</span>
        <select
          value={current?.name ?? broken?.name ?? ''}
          onChange={(e) => void open(e.target.value)}
          disabled={list.length === 0}
          aria-label={t('cluster.label')}
        >
          {list.length === 0 && <option value="">{t('cluster.none')}</option>}
          {list.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.broken ? t('cluster.broken') : t('cluster.hosts', { count: c.hostCount })})
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => setCreating(true)}>
        {t('cluster.new')}
      </button>
    </div>
  );
}

import type { Role } from '../../../src-shared/model/cluster';

/**
 * Small inline icons for roles and states. Decorative: each sits beside a text (or an aria-label) that says the same,
 * so screen readers skip them.
 */
export function RoleIcon({ role }: { role: Role }) {
  return (
    <svg className={`icon role-icon role-icon-${role}`} viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      {role === 'etcd' && (
        // A database: stacked discs.
        <path d="M8 1C4.7 1 2.5 2 2.5 3.2v9.6C2.5 14 4.7 15 8 15s5.5-1 5.5-2.2V3.2C13.5 2 11.3 1 8 1zm0 1.4c2.6 0 4.1.7 4.1.9S10.6 4.2 8 4.2 3.9 3.5 3.9 3.3 5.4 2.4 8 2.4zM3.9 5c1 .5 2.5.7 4.1.7s3.1-.2 4.1-.7v2.4c0 .2-1.5.9-4.1.9s-4.1-.7-4.1-.9zm0 4c1 .5 2.5.7 4.1.7s3.1-.2 4.1-.7v3.7c0 .2-1.5.9-4.1.9s-4.1-.7-4.1-.9z" />
      )}
      {role === 'master' && (
        // A steering wheel, for the control plane.
        <path d="M8 1a7 7 0 100 14A7 7 0 008 1zm0 1.5a5.5 5.5 0 015.4 4.5H10.2a2.3 2.3 0 00-4.4 0H2.6A5.5 5.5 0 018 2.5zM2.6 9h3.2A2.3 2.3 0 007.2 10.9v2.5A5.5 5.5 0 012.6 9zm6.2 4.4v-2.5A2.3 2.3 0 0010.2 9h3.2a5.5 5.5 0 01-4.6 4.4z" />
      )}
      {role === 'node' && (
        // A box: the workloads a worker runs.
        <path d="M8 1l6 3v8l-6 3-6-3V4zm0 1.6L3.9 4.6 8 6.6l4.1-2zM3.4 5.8v5.4L7.3 13V7.8zm9.2 0L8.7 7.8V13l3.9-1.8z" />
      )}
    </svg>
  );
}

export type StateKind = 'ok' | 'warning' | 'error' | 'unknown' | 'running';

const STATE_GLYPHS: Record<StateKind, string> = { ok: '✓', warning: '!', error: '✕', unknown: '?', running: '…' };

export function StateIcon({ state }: { state: StateKind }) {
  return (
    <span className={`state-icon state-${state}`} aria-hidden="true">
      {STATE_GLYPHS[state]}
    </span>
  );
}

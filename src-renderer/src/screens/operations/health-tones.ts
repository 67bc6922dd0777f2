/** How a health reading is coloured: fine, worth a look, or wrong. */
export type Tone = 'ok' | 'warn' | 'bad';

/** `systemctl is-active` says active when all is well; a unit on its way up or down is worth a look; the rest is wrong. */
export function unitTone(state: string): Tone {
  if (state === 'active') return 'ok';
  if (state === 'activating' || state === 'reloading' || state === 'deactivating') return 'warn';
  return 'bad';
}

/** Certificates with fewer days left than this are shown as a warning. */
export const CERTIFICATE_WARN_DAYS = 30;

export function certificateTone(daysLeft: number): Tone {
  if (daysLeft < 0) return 'bad';
  return daysLeft < CERTIFICATE_WARN_DAYS ? 'warn' : 'ok';
}

/** The certificates that expire first, soonest on top. */
export function soonestCertificates<C extends { daysLeft: number }>(certificates: readonly C[], count: number): C[] {
  return [...certificates].sort((a, b) => a.daysLeft - b.daysLeft).slice(0, count);
}

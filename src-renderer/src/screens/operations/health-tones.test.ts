import { describe, expect, it } from 'vitest';
import { certificateTone, soonestCertificates, unitTone } from './health-tones';

describe('health tones', () => {
  it('shows only an active unit as fine', () => {
    expect(unitTone('active')).toBe('ok');
    expect(unitTone('activating')).toBe('warn');
    expect(unitTone('failed')).toBe('bad');
    expect(unitTone('inactive')).toBe('bad');
    expect(unitTone('unknown')).toBe('bad');
  });

  it('warns about certificates under 30 days and flags expired ones', () => {
    expect(certificateTone(365)).toBe('ok');
    expect(certificateTone(30)).toBe('ok');
    expect(certificateTone(29)).toBe('warn');
    expect(certificateTone(0)).toBe('warn');
    expect(certificateTone(-1)).toBe('bad');
  });

  it('lists the soonest to expire first', () => {
    const certs = [
      { id: 'a', daysLeft: 300 },
      { id: 'b', daysLeft: 12 },
      { id: 'c', daysLeft: 3650 },
      { id: 'd', daysLeft: 40 },
    ];
    expect(soonestCertificates(certs, 2).map((c) => c.id)).toEqual(['b', 'd']);
    expect(certs.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

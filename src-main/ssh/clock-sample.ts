/** One reading of a host's clock: when the question left, when the first byte of the answer came back, what it said. */
export interface ClockSample {
  sentAtMs: number;
  answeredAtMs: number;
  remoteMs: number;
}

export interface ClockOffset {
  /** Host clock minus this computer's, at the sample's midpoint. */
  offsetMs: number;
  /** The offset is exact to within this: half the sample's round trip (the host read its clock somewhere in it). */
  errorMs: number;
}

/**
 * The offset from the sample with the smallest round trip, as NTP's clock filter does: on a loaded machine or a slow
 * link most samples wait somewhere, and the quickest one bounds the error best.
 */
export function clockOffset(samples: readonly ClockSample[]): ClockOffset | undefined {
  let best: ClockSample | undefined;
  for (const s of samples) {
    if (!Number.isFinite(s.remoteMs) || s.answeredAtMs < s.sentAtMs) continue;
    if (!best || s.answeredAtMs - s.sentAtMs < best.answeredAtMs - best.sentAtMs) best = s;
  }
  if (!best) return undefined;
  const roundTrip = best.answeredAtMs - best.sentAtMs;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { offsetMs: round(best.remoteMs - (best.sentAtMs + roundTrip / 2)), errorMs: round(roundTrip / 2) };
}

export const SCHEDULES = ['daily', 'hourly', 'weekly', 'off'] as const;
export type Schedule = (typeof SCHEDULES)[number];
export const KEEP_MIN = 1;
export const KEEP_MAX = 1000;

/** The number of snapshots each host keeps, or undefined when the text is not a whole number in range. */
export function parseKeep(text: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n >= KEEP_MIN && n <= KEEP_MAX ? n : undefined;
}

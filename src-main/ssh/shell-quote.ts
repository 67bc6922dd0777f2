/** Quotes one word for a POSIX shell: everything inside single quotes, embedded quotes spliced in. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

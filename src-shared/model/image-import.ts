/**
 * A host's image import as its log shows it: the import step prints one such line before and one after each image,
 * each carrying the whole count so far (an image skipped by its digest check prints nothing, and the next line jumps).
 * The Deploy screen reads the last one of a host's log for the host's progress bar.
 */
export interface ImageImportProgress {
  /** Images of this host's list settled before (importing) or including (imported) `ref`. */
  done: number;
  total: number;
  doneBytes: number;
  totalBytes: number;
  state: 'importing' | 'imported';
  ref: string;
}

const LINE = /^\[images (\d+)\/(\d+), (\d+)\/(\d+) bytes\] (importing|imported) (\S+)$/;

export function formatImportProgress(p: ImageImportProgress): string {
  return `[images ${p.done}/${p.total}, ${p.doneBytes}/${p.totalBytes} bytes] ${p.state} ${p.ref}`;
}

export function parseImportProgress(line: string): ImageImportProgress | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const [done, total, doneBytes, totalBytes] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (total === 0 || done > total || doneBytes > totalBytes) return undefined;
  return { done, total, doneBytes, totalBytes, state: m[5] as 'importing' | 'imported', ref: m[6]! };
}

/** The newest progress line among a host's log lines, if any. */
export function lastImportProgress(lines: readonly { line: string }[] | undefined): ImageImportProgress | undefined {
  for (let i = (lines?.length ?? 0) - 1; i >= 0; i--) {
    const p = parseImportProgress(lines![i]!.line);
    if (p) return p;
  }
  return undefined;
}

/** Keeps the last `limit` bytes written to it: the end of a command's output is what explains a failure. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (this.limit <= 0) {
      this.dropped += chunk.length;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit) {
      const first = this.chunks[0];
      if (first === undefined) break;
      const excess = this.size - this.limit;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  /** Bytes thrown away from the front. */
  get droppedBytes(): number {
    return this.dropped;
  }

  toString(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    // A cut in the middle of a multi-byte character leaves replacement characters at the front.
    return this.dropped > 0 ? text.replace(/^\uFFFD+/, '') : text;
  }
}

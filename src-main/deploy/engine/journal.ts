import { readFile } from 'node:fs/promises';
import { KubesmithError } from '../../../src-shared/errors';
import { DeployJournalSchema, type DeployJournal, type DeployRun } from '../../../src-shared/model/deploy-run';
import { writeFileAtomic } from '../../store/atomic-write';

export const JOURNAL_FILE = 'deploy-journal.json';

/**
 * Records made within this long of the last write wait for the next one. Every write serialises the whole journal (a
 * 24-host deploy records some 1,600 steps): written after each step as it was, a 24-host run spent about a second
 * of this computer's CPU on it. A crash loses at most this much of the record, and Resume runs those steps again,
 * each finding its work done (every step checks its host first).
 */
export const JOURNAL_WRITE_INTERVAL_MS = 500;

/**
 * state/deploy-journal.json: each finished step with the hash of what it did. Writes are atomic and
 * serialised (the file is always a whole, valid journal); records made while a write is in flight, or within
 * `intervalMs` of the last one, are batched into the next one. `flush` writes at once.
 */
export class JournalStore {
  private journal: DeployJournal;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private queued = false;
  private lastWrite = 0;
  private hurry: (() => void) | undefined;
  private urgent = false;
  private failure: unknown;

  private constructor(
    private readonly path: string,
    journal: DeployJournal,
    private readonly intervalMs: number,
  ) {
    this.journal = journal;
  }

  static async open(path: string, cluster: string, intervalMs = JOURNAL_WRITE_INTERVAL_MS): Promise<JournalStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) return new JournalStore(path, { version: 1, cluster, steps: {} }, intervalMs);
    const parsed = DeployJournalSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new KubesmithError(
        'JournalUnreadable',
        `${path} is not a deploy journal Kubesmith can read.`,
        'Delete it to start the deploy from the beginning (every step checks the host first, so nothing is done twice).',
      );
    }
    return new JournalStore(path, parsed.data, intervalMs);
  }

  get snapshot(): DeployJournal {
    return this.journal;
  }

  finished(stepId: string, hash: string): boolean {
    return this.journal.steps[stepId]?.hash === hash;
  }

  record(stepId: string, hash: string): void {
    this.journal.steps[stepId] = { hash, at: new Date().toISOString() };
    this.schedule();
  }

  forget(stepId: string): void {
    delete this.journal.steps[stepId];
    this.schedule();
  }

  setLastRun(run: DeployRun): void {
    this.journal.lastRun = run;
    this.schedule();
  }

  /** Resolves once everything recorded so far is on disk. */
  async flush(): Promise<void> {
    this.urgent = true;
    try {
      while (this.dirty) {
        this.schedule();
        this.hurry?.();
        await this.writing;
      }
      await this.writing;
    } finally {
      this.urgent = false;
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule(): void {
    this.dirty = true;
    if (this.queued) return;
    this.queued = true;
    this.writing = this.writing.then(async () => {
      await this.pause(this.lastWrite + this.intervalMs - Date.now());
      this.queued = false;
      if (!this.dirty) return;
      this.dirty = false;
      this.lastWrite = Date.now();
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(this.journal, null, 1)}\n`, 0o600);
      } catch (err) {
        this.failure = err;
      }
    });
  }

  /** Waits ms, or less when flush() hurries it. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.urgent) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.hurry = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.hurry = done;
    });
  }
}

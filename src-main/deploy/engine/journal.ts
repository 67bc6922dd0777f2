import { readFile } from 'node:fs/promises';
import { KubesmithError } from '../../../src-shared/errors';
import { DeployJournalSchema, type DeployJournal, type DeployRun } from '../../../src-shared/model/deploy-run';
import { writeFileAtomic } from '../../store/atomic-write';

export const JOURNAL_FILE = 'deploy-journal.json';

/**
 * state/deploy-journal.json: each finished step with the hash of what it did. Writes are atomic and
 * serialised (the file is always a whole, valid journal); records made while a write is in flight are
 * batched into the next one.
 */
export class JournalStore {
  private journal: DeployJournal;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private failure: unknown;

  private constructor(
    private readonly path: string,
    journal: DeployJournal,
  ) {
    this.journal = journal;
  }

  static async open(path: string, cluster: string): Promise<JournalStore> {
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) return new JournalStore(path, { version: 1, cluster, steps: {} });
    const parsed = DeployJournalSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new KubesmithError(
        'JournalUnreadable',
        `${path} is not a deploy journal Kubesmith can read.`,
        'Delete it to start the deploy from the beginning (every step checks the host first, so nothing is done twice).',
      );
    }
    return new JournalStore(path, parsed.data);
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
    while (this.dirty) {
      this.schedule();
      await this.writing;
    }
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule(): void {
    this.dirty = true;
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(this.journal, null, 1)}\n`, 0o600);
      } catch (err) {
        this.failure = err;
      }
    });
  }
}

import type { UpdateStatus } from '../../src-shared/contract/app';
import { KubesmithError } from '../../src-shared/errors';
import { isWantedUpdate, type UpdateChannel } from './versions';

/** What the feed offers, as electron-updater's UpdateInfo carries it. */
export interface FoundUpdate {
  version: string;
  releaseNotes?: string | ReadonlyArray<{ version: string; note: string | null }> | null;
}

/** What the controller needs from an updater: electron-updater in the app (see electron-updater-engine.ts). */
export interface UpdateEngine {
  /** The newest version the feed offers, or null when it offers none. */
  check(): Promise<FoundUpdate | null>;
  /** Downloads the update the last check found and verifies it against the feed's SHA-512; rejects when it does not match. */
  download(onProgress: (percent: number) => void): Promise<void>;
  /** Quits and installs the downloaded update. */
  install(): void;
}

/** What the API and the menu use: the controller in the desktop app, `unavailableUpdates` where there is no updater. */
export interface Updates {
  status(): UpdateStatus;
  check(): Promise<UpdateStatus>;
  restartToUpdate(): { restarting: boolean };
  subscribe(listener: (status: UpdateStatus) => void): () => void;
  announce(): void;
}

export interface UpdateControllerOptions {
  engine: UpdateEngine;
  currentVersion: string;
  channel: UpdateChannel;
  /** Clusters with a deploy or a day-2 operation running now: the restart waits for them. */
  activeRuns: () => string[];
}

/** Error codes electron-updater uses when a download fails verification (builder-util-runtime DigestTransform, NsisUpdater). */
const VERIFICATION_CODES = new Set(['ERR_CHECKSUM_MISMATCH', 'ERR_UPDATER_INVALID_SIGNATURE']);

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** GitHub's release feed carries the notes as HTML; the About screen shows them as plain text, never as markup. */
function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>|<\/(p|li|h\d)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function notesText(notes: FoundUpdate['releaseNotes']): string | undefined {
  if (!notes) return undefined;
  if (typeof notes === 'string') return plainText(notes);
  return notes.map((n) => `${n.version}\n${plainText(n.note ?? '')}`.trim()).join('\n\n');
}

/**
 * The app's self-update: check, download and verify, then "Restart to update" once nothing is running.
 * A download that fails verification is reported and never installed.
 */
export class UpdateController implements Updates {
  private state: UpdateStatus;
  private readonly listeners = new Set<(status: UpdateStatus) => void>();
  private checking: Promise<UpdateStatus> | undefined;

  constructor(private readonly opts: UpdateControllerOptions) {
    this.state = { phase: 'idle', channel: opts.channel, currentVersion: opts.currentVersion, waitingFor: [], verificationFailed: false };
  }

  status(): UpdateStatus {
    return { ...this.state, waitingFor: this.state.phase === 'ready' ? this.opts.activeRuns() : [] };
  }

  subscribe(listener: (status: UpdateStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells listeners again, e.g. when a run ended and the restart is no longer held back. */
  announce(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  /** Checks the feed and downloads a wanted update. One check at a time; a downloaded update is kept. */
  check(): Promise<UpdateStatus> {
    if (this.state.phase === 'ready') return Promise.resolve(this.status());
    this.checking ??= this.checkAndDownload().finally(() => (this.checking = undefined));
    return this.checking;
  }

  restartToUpdate(): { restarting: boolean } {
    if (this.state.phase !== 'ready') {
      throw new KubesmithError('NoUpdateReady', 'No update has been downloaded and verified yet.', 'Check for updates first.');
    }
    const running = this.opts.activeRuns();
    if (running.length > 0) {
      throw new KubesmithError(
        'UpdateWaitsForRun',
        `A deploy or an operation is running on ${running.join(', ')}; Kubesmith restarts to update only when nothing is running.`,
        'Restart to update when it has finished.',
        { clusters: running },
      );
    }
    this.opts.engine.install();
    return { restarting: true };
  }

  private set(change: Partial<UpdateStatus>): UpdateStatus {
    this.state = { ...this.state, ...change };
    this.announce();
    return this.status();
  }

  private async checkAndDownload(): Promise<UpdateStatus> {
    const reset = { version: undefined, releaseNotes: undefined, percent: undefined, message: undefined, verificationFailed: false };
    this.set({ ...reset, phase: 'checking' });
    let found: FoundUpdate | null;
    try {
      found = await this.opts.engine.check();
    } catch (err) {
      return this.set({ phase: 'failed', message: `Could not check for updates: ${errorMessage(err)}` });
    }
    if (!found || !isWantedUpdate(this.opts.currentVersion, found.version, this.opts.channel)) {
      return this.set({ phase: 'up-to-date' });
    }
    const version = found.version;
    this.set({ phase: 'downloading', version, releaseNotes: notesText(found.releaseNotes), percent: 0 });
    try {
      await this.opts.engine.download((percent) => this.set({ percent: Math.max(0, Math.min(100, percent)) }));
    } catch (err) {
      if (VERIFICATION_CODES.has(errorCode(err) ?? '')) {
        return this.set({
          phase: 'failed',
          verificationFailed: true,
          message: `The download of Kubesmith ${version} did not match the checksum or signature its release published, so it was discarded and will not be installed. The next check downloads it again.`,
        });
      }
      return this.set({ phase: 'failed', message: `Could not download Kubesmith ${version}: ${errorMessage(err)}` });
    }
    return this.set({ phase: 'ready', percent: 100 });
  }
}

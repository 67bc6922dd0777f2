import type { LogLine } from '../../../../src-shared/contract/events';
import type { HostRun } from '../../../../src-shared/model/deploy-run';
import { lastImportProgress, type ImageImportProgress } from '../../../../src-shared/model/image-import';

/** A host's import progress while one of its image steps runs (the step ids the runtime phase gives them). */
export function importProgressOf(host: HostRun, lines: readonly LogLine[] | undefined): ImageImportProgress | undefined {
  if (host.state !== 'running' || !host.stepId || !/\/image-[^/]+$/.test(host.stepId)) return undefined;
  return lastImportProgress(lines);
}

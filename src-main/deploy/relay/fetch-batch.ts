import { KubesmithError } from '../../../src-shared/errors';
import { sha256OfFilesIntoS } from '../../ssh/host-sha256';
import { raw, sh, shJoin, type Shell } from '../../ssh/shell';
import { recordFromL, SUMS_DIR } from '../engine/file-step';
import { batchPrologue, checkSumInS, statIntoK, statLineIntoL, WROTE } from '../engine/write-batch';
import { RELAY_CURL_LIMITS, RELAY_FILES, RELAY_HEADER, relayFileUrl, stagedPath } from './relay-commands';

/** One artifact of a batched fetch: where it goes, what it must hash to, its mode, and the temp file beside it. */
export interface BatchFetch {
  path: string;
  sha256: string;
  mode: string;
  temp: string;
}

/**
 * A value in a curl config file, as curl(1) reads `-K` ("--config"): inside double quotes, with backslash and double
 * quote escaped. A control character (a line break would start another option) is refused.
 */
function curlConfigValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) throw new KubesmithError('UnsafeValue', `${JSON.stringify(value)} cannot go into a curl config.`);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * What curl reads on stdin for a batch (`-K -`): the run's secret as a header (so it is never on a command line),
 * then each staged file's URL and the temp file it is written to, in order.
 */
export function relayFetchConfig(opts: { relayAddress: string; port: number; secret: string; files: readonly BatchFetch[] }): string {
  if (!/^[0-9a-f]{32,128}$/.test(opts.secret)) throw new KubesmithError('UnsafeValue', 'The relay secret must be hex.');
  const lines = [`header = ${curlConfigValue(`${RELAY_HEADER}: ${opts.secret}`)}`];
  for (const f of opts.files) {
    lines.push(`url = ${curlConfigValue(relayFileUrl(opts.relayAddress, opts.port, f.sha256))}`);
    lines.push(`output = ${curlConfigValue(f.temp)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Fetches several staged artifacts from the relay in one command and installs each as atomicWriteCommand does one:
 * one curl writes every temp file (created 0600, then given its mode), then `installBatch`. Per file that is one `mv`
 * where a fetch of its own started a shell, curl, cat, the hasher, stat and mv: a worker fetches some eighteen
 * artifacts. Nothing is installed unless every file arrived whole (a failed or cut transfer, other bytes): the temp
 * files are removed, and the caller fetches the files one by one, which says which one failed and why.
 */
export function fetchBatchCommand(files: readonly BatchFetch[], sumsDir = SUMS_DIR): Shell {
  // --fail-early: without it curl goes on after a failed transfer and only the last one decides its exit code.
  return installBatch(files, sh`(umask 077 && exec curl -fsS --fail-early ${RELAY_CURL_LIMITS} -K -)`, sumsDir);
}

/**
 * On the relay host itself: installs several of its staged copies in one command, checked and recorded as a fetch
 * batch is. A copy per file (`cat`) is all that differs: one round trip where a command per file cost the relay host
 * a shell, cat, the hasher, stat and mv each.
 */
export function stagedBatchCommand(files: readonly BatchFetch[], sumsDir = SUMS_DIR, filesDir = RELAY_FILES): Shell {
  const copies = shJoin(
    files.map((f) => sh`cat < ${stagedPath(f.sha256, filesDir)} > ${f.temp}`),
    ' && ',
  );
  return installBatch(files, sh`(umask 077 && ${copies})`, sumsDir);
}

/**
 * What a batch does once `fill` wrote its temp files (created 0600): one `chmod` per mode, one hasher and one `stat`
 * for them all with each sum checked against its line, then each file recorded for the next run's file states,
 * renamed into place and followed by `ks-wrote <i>`. The trap removes every temp file that was not renamed.
 */
function installBatch(files: readonly BatchFetch[], fill: Shell, sumsDir: string): Shell {
  const temps = files.map((f) => f.temp);
  const modes = [...new Set(files.map((f) => f.mode))];
  return shJoin(
    [
      batchPrologue(
        files.map((f) => f.path),
        temps,
      ),
      fill,
      ...modes.map((m) => sh`chmod ${m} ${files.filter((f) => f.mode === m).map((f) => f.temp)}`),
      sha256OfFilesIntoS(temps),
      statIntoK(temps),
      // Every sum before any rename: nothing is installed unless every file arrived whole.
      ...files.map(checkSumInS),
      ...files.flatMap((f, i) => [
        statLineIntoL(f.temp),
        recordFromL(f.path, f.sha256, sumsDir),
        sh`mv -f ${f.temp} ${f.path}`,
        sh`echo ${`${WROTE} ${i}`}`,
      ]),
      raw('trap - EXIT'),
    ],
    '\n',
  );
}

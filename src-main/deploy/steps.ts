import type { CommandAction, PlanStep } from '../../src-shared/model/plan';
import { hashOf, sha256 } from './hash';
import { APPLIED_DIR, UNIT_DIR } from './layout';
import { sha16OfFilesIntoS } from '../ssh/host-sha256';
import { raw, sh, shJoin, type Shell } from '../ssh/shell';

export function fileStep(id: string, title: string, opts: { path: string; text: string; mode?: string; secret?: boolean }): PlanStep {
  const bytes = Buffer.from(opts.text);
  const action = {
    kind: 'file' as const,
    path: opts.path,
    mode: opts.mode ?? (opts.secret ? '0600' : '0644'),
    sha256: sha256(bytes),
    size: bytes.length,
    secret: opts.secret ?? false,
    text: opts.text,
  };
  return { id, title, action, hash: hashOf({ path: action.path, mode: action.mode, sha256: action.sha256 }) };
}

/** A file whose content comes from this computer's binary cache or offline bundle. */
export function binaryStep(id: string, title: string, opts: { path: string; localPath: string; sha256: string; size: number }): PlanStep {
  const action = {
    kind: 'file' as const,
    path: opts.path,
    mode: '0755',
    sha256: opts.sha256,
    size: opts.size,
    secret: false,
    localPath: opts.localPath,
  };
  return { id, title, action, hash: hashOf({ path: action.path, mode: action.mode, sha256: action.sha256 }) };
}

/** A file with one variant per pattern; `chooseBy`'s output on the host picks which one is written. */
export function variantFileStep(
  id: string,
  title: string,
  opts: {
    path: string;
    mode?: string;
    chooseBy: Shell;
    /** The binary chooseBy runs, when its answer depends on nothing else (the host then keeps it). */
    chooseByReads?: string;
    variants: Array<{ match: string; label: string; text: string }>;
  },
): PlanStep {
  const variants = opts.variants.map((v) => ({ ...v, sha256: sha256(v.text), size: Buffer.byteLength(v.text) }));
  const first = variants[0];
  if (!first) throw new Error(`variantFileStep ${id}: no variants`);
  const action = {
    kind: 'file' as const,
    path: opts.path,
    mode: opts.mode ?? '0644',
    sha256: first.sha256,
    size: first.size,
    secret: false,
    text: first.text,
    chooseBy: opts.chooseBy.command,
    ...(opts.chooseByReads !== undefined ? { chooseByReads: opts.chooseByReads } : {}),
    variants,
  };
  // chooseByReads is left out of the hash: it changes how the host is asked, not what is written.
  return {
    id,
    title,
    action,
    hash: hashOf({ path: action.path, mode: action.mode, chooseBy: action.chooseBy, variants: variants.map((v) => [v.match, v.sha256]) }),
  };
}

/** A command step. Its commands come only from the builder (`sh`, src-main/ssh/shell.ts), which quotes every value. */
export function commandStep(
  id: string,
  title: string,
  action: Omit<CommandAction, 'kind' | 'run' | 'skipIf'> & { run: Shell; skipIf?: Shell },
): PlanStep {
  const { run, skipIf, ...rest } = action;
  const full: CommandAction = { kind: 'command', ...rest, run: run.command, ...(skipIf ? { skipIf: skipIf.command } : {}) };
  return { id, title, action: full, hash: hashOf(full) };
}

/**
 * Whether the unit is enabled, for the start step's guard (asked on every run of every unit of every host). Where
 * the plan writes the unit file and it names one `WantedBy=` target (render/systemd-unit.ts writes
 * multi-user.target), enabled is the symlink `systemctl enable` makes in that target's `.wants/` folder ("creates a
 * set of symlinks, as encoded in the [Install] sections", systemctl(1) enable), and a shell test reads it without
 * starting a process; `is-enabled` (a systemctl process, a round trip to PID 1) answers for any other unit. A unit
 * enabled only for this boot (enabled-runtime, under /run) counts as not enabled: the step enables it for good.
 */
function enabledCheck(unit: string, inputs: readonly PlanStep[]): Shell {
  const fragment = `${UNIT_DIR}/${unit}.service`;
  const text = inputs.flatMap((s) =>
    s.action.kind === 'file' && s.action.path === fragment && !s.action.variants ? [s.action.text ?? ''] : [],
  );
  const targets = text.flatMap((t) => [...t.matchAll(/^WantedBy=(.*)$/gm)].map((m) => (m[1] ?? '').trim()));
  const target = targets.length === 1 ? targets[0] : undefined;
  if (text.length !== 1 || !target || !/^[\w@.-]+\.target$/.test(target)) return sh`systemctl is-enabled --quiet ${unit}`;
  return sh`[ -e ${`${UNIT_DIR}/${target}.wants/${unit}.service`} ]`;
}

/**
 * The first line of a file is this value, read by the shell itself (no cat, sysctl or hostname started): guards run
 * on every run of every host, and a process costs a small host about 2–4 ms of CPU. `sysctl -n k` prints
 * /proc/sys/<k with dots as slashes>, and `hostname` the UTS name, /proc/sys/kernel/hostname (proc(5)).
 */
export const readsAs = (path: string, value: string): Shell => sh`{ v=; read -r v < ${path}; [ "$v" = ${value} ]; } 2>/dev/null`;

/**
 * Enables and (re)starts a unit, but only when it is not already running with the same inputs: the hash of
 * its unit file and config files is recorded on the host after a successful start, so an unchanged unit is
 * left alone and a changed one restarts exactly once. An input written in the variant the host picks (the
 * kubelet's resolvConf, containerd's config version) is the same plan either way, so the marker also carries
 * the SHA-256 of those files as they are on the host: a host that changes its mind (systemd-resolved turned on)
 * restarts the unit once. A marker without that part (written before variants were counted) still matches, so
 * updating Kubesmith restarts nothing by itself.
 *
 * The manager is reloaded only when the definition it has loaded is not the one on disk (a reload costs the host
 * about a quarter of a second of CPU, with every generator run again, and a deploy starts four to eight units per
 * host). systemd itself answers that: `show` loads a unit it has not loaded yet straight from disk ("The time-based
 * cache allows to start new units without daemon-reload", systemd src/core/manager.c, manager_load_unit_prepare;
 * a unit cached as not found is loaded again once the unit folders changed, manager_unit_cache_should_retry_load,
 * systemd 247 and later), and NeedDaemonReload says whether the loaded unit file or its drop-ins changed since
 * (unit_need_daemon_reload, src/core/unit.c: the fragment's mtime, the list of drop-ins and their mtimes). It
 * does not notice a new file that overrides the one loaded (a distribution's unit under /lib), so the loaded
 * FragmentPath must be the file this plan writes; nor, in systemd 252 (seen in the lab), a drop-in added beside a
 * loaded unit, so a unit whose plan writes drop-ins always reloads. Anything else — not found (an older systemd),
 * another fragment, out of date — reloads. `enable` gets `--no-reload`: without it, enable reloads the manager by itself.
 * systemctl(1), --no-reload: "When used with enable and disable, do not implicitly reload daemon configuration
 * after executing the changes" (https://www.freedesktop.org/software/systemd/man/systemctl.html).
 */
export function unitStep(id: string, opts: { unit: string; inputs: PlanStep[]; noBlock?: boolean; timeoutMs?: number }): PlanStep {
  const inputsHash = hashOf(opts.inputs.map((s) => s.hash)).slice(0, 32);
  const marker = `${APPLIED_DIR}/${opts.unit}`;
  const u = opts.unit;
  const variantPaths = opts.inputs.flatMap((s) => (s.action.kind === 'file' && s.action.variants ? [s.action.path] : []));
  const sumOnHost = sha16OfFilesIntoS(variantPaths);
  const written = variantPaths.length
    ? sh`${sumOnHost} && mkdir -p ${APPLIED_DIR} && echo ${inputsHash}" $s" > ${marker}`
    : sh`mkdir -p ${APPLIED_DIR} && echo ${inputsHash} > ${marker}`;
  // A marker an older Kubesmith wrote before it kept the variant inputs' sum holds the inputs' hash alone, and matches.
  const unchanged = variantPaths.length
    ? sh`{ m=; read -r m < ${marker}; ${sumOnHost}; [ "$m" = ${inputsHash} ] || [ "$m" = ${inputsHash}" $s" ]; } 2>/dev/null`
    : readsAs(marker, inputsHash);
  const fragment = `${UNIT_DIR}/${u}.service`;
  const definitions = opts.inputs.flatMap((s) =>
    s.action.kind === 'file' && s.action.path.startsWith(`${UNIT_DIR}/`) ? [s.action.path] : [],
  );
  const writesFragmentOnly = definitions.length === 1 && definitions[0] === fragment;
  // `show` prints the properties in its own order: the shell looks for each wanted line in its answer (no sort or
  // tr started: each process is about 2 ms of a small host's CPU).
  const wanted = [`FragmentPath=${fragment}`, 'LoadState=loaded', 'NeedDaemonReload=no'];
  const hasEach = shJoin(
    wanted.map((line) => sh`case $ks_s in *${`\n${line}\n`}*) ;; *) false ;; esac`),
    ' && ',
  );
  const loadedAsOnDisk = sh`{ ks_u=${u}; ks_s="\n$(systemctl show -p FragmentPath -p LoadState -p NeedDaemonReload "$ks_u")\n"; ${hasEach}; }`;
  const reloadIfNeeded = writesFragmentOnly ? sh`{ ${loadedAsOnDisk} || systemctl daemon-reload; }` : raw('systemctl daemon-reload');
  const restart = sh`systemctl restart${opts.noBlock ? raw(' --no-block') : raw('')} ${u}`;
  return commandStep(id, `Start ${opts.unit}`, {
    skipIf: sh`${enabledCheck(u, opts.inputs)} && systemctl is-active --quiet ${u} && ${unchanged}`,
    run: sh`${reloadIfNeeded} && systemctl enable --quiet --no-reload ${u} && ${restart} && ${written}`,
    unit: opts.unit,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
  });
}

import { toApiError } from '../../src-shared/errors';
import type { ProbeResult } from '../../src-shared/model/cluster';
import { clockOffset, type ClockSample } from './clock-sample';
import type { SshPool } from './connection-pool';

/** Clock readings per probe; the one with the quickest answer is kept (see clockOffset). */
const CLOCK_SAMPLES = 5;

/** Debian 12/13 and Ubuntu 22.04/24.04: the systems the installer is tested on. */
export const SUPPORTED_OS: Record<string, readonly string[]> = { debian: ['12', '13'], ubuntu: ['22.04', '24.04'] };
export const SUPPORTED_ARCH = ['x86_64', 'aarch64'] as const;

// `date` runs first so its output arrives in the first chunk, which is what the clock offset is timed against.
export const PROBE_SCRIPT = [
  'export LC_ALL=C',
  'echo "time=$(date +%s%N)"',
  'echo "hostname=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"',
  'echo "arch=$(uname -m)"',
  'echo "kernel=$(uname -r)"',
  'echo "cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"',
  'echo "cgroupfs=$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"',
  'echo "diskfree=$(df -B1 --output=avail / 2>/dev/null | tail -n 1 | tr -d " ")"',
  'echo "--- meminfo"',
  'cat /proc/meminfo 2>/dev/null',
  'echo "--- os-release"',
  'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null',
  'echo "--- end"',
].join('\n');

/** Values of an os-release file: KEY=value, optionally quoted, with shell-style escapes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] === undefined || m[2] === undefined) continue;
    let value = m[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\`$])/g, '$1');
    }
    out[m[1]] = value;
  }
  return out;
}

export interface ParsedProbe {
  remoteTimeNs?: bigint;
  hostname?: string;
  arch?: string;
  kernel?: string;
  cpus?: number;
  cgroupV2?: boolean;
  diskFreeBytes?: number;
  memoryBytes?: number;
  swapBytes?: number;
  os?: { id: string; version: string; pretty: string };
}

function num(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

function meminfoBytes(meminfo: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo);
  return m?.[1] !== undefined ? Number(m[1]) * 1024 : undefined;
}

export function parseProbeOutput(stdout: string): ParsedProbe {
  const sections = new Map<string, string>();
  const [head = '', ...rest] = stdout.split(/^--- /m);
  for (const part of rest) {
    const nl = part.indexOf('\n');
    sections.set(part.slice(0, nl === -1 ? undefined : nl).trim(), nl === -1 ? '' : part.slice(nl + 1));
  }
  const kv = new Map<string, string>();
  for (const line of head.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) kv.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const out: ParsedProbe = {};
  const time = kv.get('time');
  if (time !== undefined && /^\d+$/.test(time)) out.remoteTimeNs = BigInt(time);
  const set = <K extends keyof ParsedProbe>(key: K, value: ParsedProbe[K] | undefined): void => {
    if (value !== undefined && value !== '') out[key] = value;
  };
  set('hostname', kv.get('hostname'));
  set('arch', kv.get('arch'));
  set('kernel', kv.get('kernel'));
  set('cpus', num(kv.get('cpus')));
  const fs = kv.get('cgroupfs');
  if (fs !== undefined && fs !== '') out.cgroupV2 = fs === 'cgroup2fs';
  set('diskFreeBytes', num(kv.get('diskfree')));
  const meminfo = sections.get('meminfo') ?? '';
  set('memoryBytes', meminfoBytes(meminfo, 'MemTotal'));
  set('swapBytes', meminfoBytes(meminfo, 'SwapTotal'));
  const osRelease = parseOsRelease(sections.get('os-release') ?? '');
  if (osRelease.ID !== undefined) {
    out.os = {
      id: osRelease.ID,
      version: osRelease.VERSION_ID ?? '',
      pretty: osRelease.PRETTY_NAME ?? `${osRelease.NAME ?? osRelease.ID} ${osRelease.VERSION_ID ?? ''}`.trim(),
    };
  }
  return out;
}

/**
 * What a host offers. Unsupported systems give ok: false with an error
 * (UnsupportedOs / UnsupportedArch) but every fact still filled in, so the
 * UI can show what was found: the installer's scripts are only tested on the
 * supported list, and the shared model has no warning field.
 */
export function judgeProbe(parsed: ParsedProbe): Pick<ProbeResult, 'ok' | 'error'> {
  const os = parsed.os;
  const supported = os !== undefined && (SUPPORTED_OS[os.id] ?? []).includes(os.version);
  if (!supported) {
    return {
      ok: false,
      error: {
        name: 'UnsupportedOs',
        message: `${os?.pretty ?? 'This system'} is not supported. Kubesmith supports Debian 12 and 13, and Ubuntu 22.04 and 24.04.`,
        hint: 'Reinstall the machine with a supported release, or pick another machine.',
      },
    };
  }
  if (parsed.arch !== undefined && !(SUPPORTED_ARCH as readonly string[]).includes(parsed.arch)) {
    return {
      ok: false,
      error: {
        name: 'UnsupportedArch',
        message: `The processor architecture ${parsed.arch} is not supported; Kubesmith installs x86_64 (amd64) and aarch64 (arm64) binaries.`,
      },
    };
  }
  return { ok: true };
}

/**
 * Connects to a host and reads its facts with one script. Never throws for
 * host trouble: connection, login and sudo failures come back as ok: false.
 */
export async function probeHost(
  pool: SshPool,
  hostId: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  const at = new Date().toISOString();
  try {
    // Connect first, so the clock offset is not skewed by the login.
    await pool.connect(hostId, options.signal);
    const execOptions = {
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    };
    const samples: ClockSample[] = [];
    const timed = async (script: string, label: string) => {
      let answeredAtMs: number | undefined;
      const sentAtMs = Date.now();
      const result = await pool.exec(hostId, script, {
        ...execOptions,
        label,
        onStdout: () => {
          answeredAtMs ??= Date.now();
        },
      });
      return { result, sentAtMs, answeredAtMs };
    };
    const first = await timed(PROBE_SCRIPT, 'probe');
    const parsed = parseProbeOutput(first.result.stdout);
    if (parsed.remoteTimeNs !== undefined && first.answeredAtMs !== undefined)
      samples.push({ sentAtMs: first.sentAtMs, answeredAtMs: first.answeredAtMs, remoteMs: Number(parsed.remoteTimeNs / 1000n) / 1000 });
    for (let i = 1; i < CLOCK_SAMPLES && samples.length > 0; i++) {
      const { result, sentAtMs, answeredAtMs } = await timed('date +%s%N', 'probe clock');
      const ns = /^[0-9]+$/.test(result.stdout.trim()) ? BigInt(result.stdout.trim()) : undefined;
      if (ns !== undefined && answeredAtMs !== undefined) samples.push({ sentAtMs, answeredAtMs, remoteMs: Number(ns / 1000n) / 1000 });
    }
    const clock = clockOffset(samples);
    const { remoteTimeNs: _unused, ...facts } = parsed;
    return {
      at,
      ...judgeProbe(parsed),
      ...facts,
      ...(clock !== undefined ? { timeOffsetMs: clock.offsetMs, timeOffsetErrorMs: clock.errorMs } : {}),
    };
  } catch (err) {
    const { name, message, hint, details } = toApiError(err);
    const newFingerprint = typeof details?.newFingerprint === 'string' ? details.newFingerprint : undefined;
    return {
      at,
      ok: false,
      error: { name, message, ...(hint !== undefined ? { hint } : {}), ...(newFingerprint ? { newFingerprint } : {}) },
    };
  }
}

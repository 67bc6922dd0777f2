// `npm run deploy -- path/to/cluster [--resume] [--stop-after PHASE] [--concurrency N] [--waive CHECK] [--plan] [--verbose]`
// The same engine as the Deploy screen, from a terminal: progress lines while it runs, the cause and a
// non-zero exit when a host fails. The cluster folder is <data dir>/clusters/<name> (cluster.yaml, pki/, state/).
import { basename, dirname, resolve } from 'node:path';
import { toApiError } from '../src-shared/errors';
import type { DeployRun, HostRun } from '../src-shared/model/deploy-run';
import { PHASES, WAIVABLE_CHECKS, planSteps, type PhaseId, type WaivableCheck } from '../src-shared/model/plan';
import { DeployService } from '../src-main/deploy/service';
import { sshTransports } from '../src-main/deploy/ssh-transport';
import { SshPool } from '../src-main/ssh/connection-pool';
import { plainCipher } from '../src-main/store/secret-cipher';
import { SecretStore } from '../src-main/store/secret-store';
import { Workspace } from '../src-main/store/workspace';

interface Args {
  folder: string;
  resume: boolean;
  planOnly: boolean;
  verbose: boolean;
  acceptNewHostKeys: boolean;
  stopAfter?: PhaseId;
  concurrency?: number;
  waive: WaivableCheck[];
}

const USAGE = `usage: npm run deploy -- CLUSTER_FOLDER [--resume] [--plan] [--stop-after ${PHASES.join('|')}] [--concurrency N] [--waive ${WAIVABLE_CHECKS.join('|')}] [--accept-new-host-keys] [--verbose]`;

function parseArgs(argv: string[]): Args {
  const args: Args = { folder: '', resume: false, planOnly: false, verbose: false, acceptNewHostKeys: false, waive: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--resume') args.resume = true;
    else if (a === '--plan') args.planOnly = true;
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else if (a === '--accept-new-host-keys') args.acceptNewHostKeys = true;
    else if (a === '--stop-after') {
      const p = value();
      if (!(PHASES as readonly string[]).includes(p)) throw new Error(`--stop-after: unknown phase ${p}\n${USAGE}`);
      args.stopAfter = p as PhaseId;
    } else if (a === '--concurrency') args.concurrency = Number(value());
    else if (a === '--waive') {
      const c = value();
      if (!(WAIVABLE_CHECKS as readonly string[]).includes(c)) throw new Error(`--waive: unknown check ${c}\n${USAGE}`);
      args.waive.push(c as WaivableCheck);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
    else args.folder = a;
  }
  if (!args.folder) throw new Error(USAGE);
  return args;
}

const stamp = () => new Date().toISOString().slice(11, 19);

function hostLine(h: HostRun): string {
  const where = h.phase ? `${h.phase}` : '';
  if (h.state === 'failed') return `${h.hostName} ${where} FAILED at "${h.cause?.stepTitle}": ${h.cause?.message}`;
  if (h.state === 'blocked') return `${h.hostName} blocked: ${h.blockedBy}`;
  if (h.state === 'running') return `${h.hostName} ${where} ${h.stepTitle ?? ''} (${h.done}/${h.total})`;
  return `${h.hostName} ${h.state} (${h.done}/${h.total})`;
}

function printCause(h: HostRun): void {
  const c = h.cause;
  if (!c) return;
  console.error(`\n✗ ${h.hostName}: ${c.message}`);
  if (c.hint) console.error(`  hint: ${c.hint}`);
  if (c.command) console.error(`  command (exit ${c.exitCode ?? '?'}): ${c.command}`);
  if (c.stderr) console.error(`  output:\n${c.stderr.replace(/^/gm, '    ')}`);
  if (c.journal) console.error(`  journalctl -u ${c.unit}:\n${c.journal.replace(/^/gm, '    ')}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const folder = resolve(args.folder);
  const name = basename(folder);
  const dataDir = dirname(dirname(folder));
  const workspace = new Workspace(dataDir);
  const secrets = new SecretStore(workspace, plainCipher);
  const kinds = { password: 'password', passphrase: 'passphrase', sudo: 'sudoPassword' } as const;
  const service = new DeployService({
    workspace,
    cipher: plainCipher,
    emit: (event, payload) => {
      if (event === 'log' && args.verbose) {
        const l = payload as { hostId?: string; line: string };
        console.log(`${stamp()}   ${l.hostId ?? ''} ${l.line}`);
      }
    },
    transports: (cluster) => {
      const pool = new SshPool({
        resolveHost: (id) => cluster.hosts.find((h) => h.id === id),
        workspaceKnownHosts: `${folder}/known_hosts`,
        askSecret: async ({ hostId, kind }) => secrets.get(name, hostId, kinds[kind]),
        confirmHostKey: async (q) => {
          if (!args.acceptNewHostKeys)
            console.error(`${q.host}:${q.port} presents a new host key ${q.fingerprintSha256}; pass --accept-new-host-keys to trust it.`);
          return args.acceptNewHostKeys;
        },
        keepaliveIntervalMs: 5_000,
        keepaliveCountMax: 3,
      });
      return sshTransports(pool, () => pool.closeAll());
    },
  });

  if (args.planOnly) {
    const { plan } = await service.plan(name, args.waive);
    for (const w of plan.warnings) console.log(`! ${w}`);
    for (const s of planSteps(plan)) {
      const a = s.action;
      console.log(
        `${s.phase}\t${s.hostId}\t${a.kind === 'file' ? `write ${a.path} (${a.mode}, ${a.size} bytes)` : `run ${a.run.split('\n')[0]}`}`,
      );
    }
    console.log(`plan ${plan.hash.slice(0, 12)}: ${planSteps(plan).length} steps`);
    return;
  }

  process.on('SIGINT', () => {
    console.error('\ncancelling… (the journal keeps every finished step; --resume continues)');
    service.cancel(name);
  });
  const last = new Map<string, string>();
  const started = Date.now();
  const { done } = await service.start(name, {
    mode: args.resume ? 'resume' : 'fresh',
    waive: args.waive,
    ...(args.stopAfter ? { stopAfter: args.stopAfter } : {}),
    ...(args.concurrency ? { concurrency: args.concurrency } : {}),
  });
  const print = (run: DeployRun) => {
    for (const h of run.hosts) {
      const line = hostLine(h);
      if (last.get(h.hostId) !== line) console.log(`${stamp()} ${line}`);
      last.set(h.hostId, line);
    }
  };
  const timer = setInterval(() => void service.status(name).then((s) => s.run && print(s.run)), 500);
  const run = await done;
  clearInterval(timer);
  print(run);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${stamp()} deploy ${run.state} in ${seconds} s: ${run.counts.changed} changed, ${run.counts.unchanged} unchanged, ${run.counts.journaled} already done, ${run.bytesUploaded} bytes uploaded`,
  );
  if (run.state !== 'succeeded') {
    for (const h of run.hosts) printCause(h);
    process.exitCode = run.state === 'cancelled' ? 130 : 1;
  }
}

main().catch((err: unknown) => {
  const e = toApiError(err);
  console.error(`deploy: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
  process.exit(2);
});

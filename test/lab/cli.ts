import { spawnSync } from 'node:child_process';
import { hostRecord } from './host-exec';
import { containerInit } from './host-process';
import { labDown, labLeftovers, labStatus, labUp } from './lab';
import { labUnsupportedReason } from './preflight';
import { sshArgs } from './ssh';

const USAGE = 'usage: npm run lab -- up [N=3] | down | status | shell NAME';

async function up(arg: string | undefined): Promise<void> {
  const hosts = await labUp(arg === undefined ? 3 : Number(arg));
  for (const h of hosts) console.log(`${h.name}\t${h.address}\tssh ${sshArgs(h.rootKeyPath).join(' ')} root@${h.address}`);
}

async function status(): Promise<void> {
  const hosts = await labStatus();
  for (const h of hosts) {
    console.log(`${h.name}\t${h.address}\t${h.running ? 'running' : 'stopped'}\tssh ${h.sshReachable ? 'reachable' : 'unreachable'}`);
  }
  if (hosts.length > 0) return;
  const left = await labLeftovers();
  const dirty = left.processes.length + left.mounts.length + left.cgroups.length > 0 || left.rootVeth || left.netns;
  console.log(
    dirty ? `lab has no hosts on record but leftovers remain (${JSON.stringify(left)}); run: npm run lab -- down` : 'lab is down',
  );
}

/** A root shell inside the host without SSH: works while its sshd or link is down. */
function shell(name: string | undefined): void {
  if (!name) throw new Error(USAGE);
  const init = containerInit(hostRecord({ name }).pid);
  if (init === undefined) throw new Error(`lab: ${name} is not running`);
  const args = ['--target', String(init), '--mount', '--uts', '--ipc', '--net', '--pid', '--', '/bin/bash', '-l'];
  process.exitCode = spawnSync('nsenter', args, { stdio: 'inherit' }).status ?? 1;
}

async function main([command, arg]: string[]): Promise<void> {
  const reason = labUnsupportedReason();
  if (command === 'up' || command === 'down' || command === 'status' || command === 'shell') {
    if (reason) throw new Error(reason);
  }
  if (command === 'up') await up(arg);
  else if (command === 'down') await labDown().then(() => console.log('lab is down'));
  else if (command === 'status') await status();
  else if (command === 'shell') shell(arg);
  else throw new Error(USAGE);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

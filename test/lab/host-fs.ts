import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_ADDRESS, HOSTS_DIR, LOGS_DIR, hostAddress, hostName } from './config';
import { runOk } from './exec';
import type { LabImage } from './image';
import { mountsUnder } from './mounts';

export interface HostFs {
  name: string;
  index: number;
  address: string;
  dir: string;
  merged: string;
  log: string;
}

function etcHosts(total: number): string {
  const lines = ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback'];
  for (let i = 1; i <= total; i++) lines.push(`${hostAddress(i)} ${hostName(i)}`);
  return `${lines.join('\n')}\n`;
}

function networkFile(address: string): string {
  return [
    '[Match]',
    'Name=host0',
    '',
    '[Network]',
    `Address=${address}/24`,
    `Gateway=${GATEWAY_ADDRESS}`,
    'LinkLocalAddressing=no',
    '',
  ].join('\n');
}

/** Mounts a host's private overlay (the image below, its own upper/work) and writes its identity into it. */
export async function prepareHostFs(index: number, total: number, image: LabImage): Promise<HostFs> {
  const name = hostName(index);
  const address = hostAddress(index);
  const dir = join(HOSTS_DIR, name);
  const merged = join(dir, 'merged');
  for (const sub of ['upper', 'work', 'merged']) mkdirSync(join(dir, sub), { recursive: true });
  mkdirSync(LOGS_DIR, { recursive: true });
  if (!mountsUnder(merged).includes(merged)) {
    const opts = `lowerdir=${image.rootfs},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
    await runOk('mount', ['-t', 'overlay', `lab-${name}`, '-o', opts, merged]);
  }
  writeFileSync(join(merged, 'etc/hostname'), `${name}\n`);
  writeFileSync(join(merged, 'etc/hosts'), etcHosts(total));
  mkdirSync(join(merged, 'etc/systemd/network'), { recursive: true });
  writeFileSync(join(merged, 'etc/systemd/network/10-lab.network'), networkFile(address));
  return { name, index, address, dir, merged, log: join(LOGS_DIR, `${name}.log`) };
}

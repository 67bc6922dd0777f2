import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envFileLine } from '../../deploy/render/systemd-escape';
import { sh } from '../../ssh/shell';
import { bootstrapEnvFromMembers } from './membership';

const dir = mkdtempSync(join(tmpdir(), 'ks-member-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bootstrap writer under dash on a `member list` output, as the join step does on the host. */
function writeFrom(memberList: string): { code: number | null; text: string; stderr: string } {
  const listFile = join(dir, 'members.txt');
  const target = join(dir, 'bootstrap.env');
  writeFileSync(listFile, memberList);
  rmSync(target, { force: true });
  const command = bootstrapEnvFromMembers(sh`cat ${listFile}`, 'node-4', 'https://[fd00::4]:2380', target);
  const run = spawnSync('dash', ['-c', String(command)], { encoding: 'utf8' });
  let text = '';
  try {
    text = readFileSync(target, 'utf8');
  } catch {
    /* not written */
  }
  return { code: run.status, text, stderr: run.stderr };
}

describe('the joining member’s bootstrap file', () => {
  it('names every member, the unstarted one as itself, in the line envFileLine would write', () => {
    const weird = 'old"one$HOME`id`\\x';
    const list = [
      `8e9e05c52164694d, started, ${weird}, https://10.0.0.1:2380, https://10.0.0.1:2379, false`,
      '91bc3c398fb3c146, unstarted, , https://[fd00::4]:2380, , false',
    ].join('\n');
    const { code, text } = writeFrom(`${list}\n`);
    expect(code).toBe(0);
    const value = `${weird}=https://10.0.0.1:2380,node-4=https://[fd00::4]:2380`;
    expect(text).toBe(`${envFileLine('ETCD_INITIAL_CLUSTER', value)}\nETCD_INITIAL_CLUSTER_STATE=existing\n`);
  });

  it('refuses a member list with a control character in a name', () => {
    const { code, stderr } = writeFrom('8e9e05c52164694d, started, bad\u0001name, https://10.0.0.1:2380, https://10.0.0.1:2379, false\n');
    expect(code).not.toBe(0);
    expect(stderr).toContain('control character');
  });
});

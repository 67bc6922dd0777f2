import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localShell } from '../../../test/support/deploy/local-shell';
import { osCheckCommand } from './preflight';

/** /etc/os-release as each distribution ships it (the fields the check reads). */
const osRelease = (id: string, version: string, pretty: string) => `ID=${id}\nVERSION_ID="${version}"\nPRETTY_NAME="${pretty}"\n`;

describe('preflight OS check (run in sh against an os-release file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ks-os-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (text: string) => {
    const file = join(dir, `os-${Math.random().toString(36).slice(2)}`);
    await writeFile(file, text);
    return localShell.exec(osCheckCommand(file).command);
  };

  it('accepts Ubuntu 26.04 LTS, as well as 22.04, 24.04 and Debian 12/13', async () => {
    for (const [id, v, pretty] of [
      ['ubuntu', '26.04', 'Ubuntu 26.04 LTS'],
      ['ubuntu', '24.04', 'Ubuntu 24.04.3 LTS'],
      ['ubuntu', '22.04', 'Ubuntu 22.04.5 LTS'],
      ['debian', '13', 'Debian GNU/Linux 13 (trixie)'],
      ['debian', '12', 'Debian GNU/Linux 12 (bookworm)'],
    ] as const) {
      const r = await run(osRelease(id, v, pretty));
      expect(`${pretty}: ${r.code} ${r.stdout.trim()}`).toBe(`${pretty}: 0 ${pretty}`);
    }
  });

  it('refuses releases it does not know, naming them and what it needs', async () => {
    for (const [id, v, pretty] of [
      ['ubuntu', '25.10', 'Ubuntu 25.10'],
      ['ubuntu', '20.04', 'Ubuntu 20.04.6 LTS'],
      ['fedora', '43', 'Fedora Linux 43'],
    ] as const) {
      const r = await run(osRelease(id, v, pretty));
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${pretty} is not supported (need Ubuntu 22.04/24.04/26.04 or Debian 12/13)`);
    }
  });
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { raw, sh } from './shell';
import { traceShell } from '../../test/support/trace-shell';
import { sha256OfFile, sha256OfFilesIntoS, sha256OfFileSized, sha256OfStdin } from './host-sha256';

const dir = mkdtempSync(join(tmpdir(), 'ks-sha-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (command: string, env: NodeJS.ProcessEnv = process.env, input?: Buffer): string =>
  execFileSync('sh', ['-c', command], { env, ...(input ? { input } : {}), stdio: ['pipe', 'pipe', 'ignore'] }).toString();

// A PATH holding sha256sum and cut but no openssl: a minimal host.
function pathWithoutOpenssl(): string {
  const bin = join(dir, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  for (const tool of ['sha256sum', 'cut', 'sh']) {
    const where = execFileSync('sh', ['-c', `command -v ${tool}`])
      .toString()
      .trim();
    execFileSync('ln', ['-sf', where, join(bin, tool)]);
  }
  return bin;
}

describe('hashing on a host', () => {
  const bytes = Buffer.from('kubesmith\n'.repeat(100_000));
  const expected = createHash('sha256').update(bytes).digest('hex');
  const file = join(dir, "it's a file");
  writeFileSync(file, bytes);

  it('prints the SHA-256 of a file and of standard input with either tool, with openssl and without it', async () => {
    expect(run('command -v openssl')).not.toBe('');
    const minimal = { ...process.env, PATH: pathWithoutOpenssl() };
    expect(run('command -v openssl || echo none', minimal)).toBe('none\n');
    for (const env of [process.env, minimal]) {
      for (const size of ['small', 'large'] as const) {
        expect(run(sha256OfFile(file, size).command, env)).toBe(`${expected}\n`);
        expect(run(sha256OfStdin(size).command, env, bytes)).toBe(`${expected}\n`);
      }
      for (const n of ['0', '99999999'])
        expect(run(sha256OfFileSized(raw(`'${file.replace(/'/g, "'\\''")}'` as 'x'), raw(n as '0')).command, env)).toBe(`${expected}\n`);
    }
  });

  it('sets s to a `<sum> *<file>` line per file in one process: sha256sum for small files, openssl where there is one for large', () => {
    const other = join(dir, 'other file');
    writeFileSync(other, 'x');
    const lines = `${expected} *${file}\n${createHash('sha256').update('x').digest('hex')} *${other}\n`;
    // traceShell finds strace by the PATH it is given.
    const bin = pathWithoutOpenssl();
    execFileSync('ln', ['-sf', execFileSync('sh', ['-c', 'command -v strace']).toString().trim(), join(bin, 'strace')]);
    const minimal = { ...process.env, PATH: bin };
    for (const [size, env, tool] of [
      ['small', process.env, 'sha256sum'],
      ['large', process.env, 'openssl'],
      ['large', minimal, 'sha256sum'],
    ] as const) {
      const r = traceShell('sh', sh`${sha256OfFilesIntoS([file, other], size)}; printf '%s\\n' "$s"`.command, { env });
      expect(r.stdout).toBe(lines);
      expect(r.started).toEqual([tool]);
    }
    expect(run(sh`${sha256OfFilesIntoS([join(dir, 'missing')], 'small')} || echo failed`.command)).toBe('failed\n');
  });

  it('takes a shell variable made by the builder, and prints nothing for a file it cannot read', () => {
    expect(run(sh`t=${file}; ${sha256OfFile(raw('"$t"'), 'large')}`.command)).toBe(`${expected}\n`);
    expect(run(sh`${sha256OfFile(join(dir, 'missing'), 'small')}; echo end`.command)).toBe('end\n');
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUploadState, resumableWriteCommand, uploadStateCommand } from './upload-commands';

const SHA = 'a'.repeat(64);
const HOSTILE = '/usr/local/bin/it\'s $(touch /tmp/pwned) `id` "x"; rm -rf /';

describe('upload commands', () => {
  it('parse in dash and bash with a hostile path, which stays one quoted word', () => {
    for (const cmd of [
      uploadStateCommand(HOSTILE, SHA),
      resumableWriteCommand({ path: HOSTILE, sha256: SHA, mode: '0755', offset: 0, size: 10 }),
      resumableWriteCommand({ path: HOSTILE, sha256: SHA, mode: '0755', offset: 4, size: 10 }),
    ]) {
      for (const shell of ['dash', 'bash']) execFileSync(shell, ['-n', '-c', cmd.command]);
    }
  });

  it('run with a hostile path without running any of it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-upload-cmd-'));
    try {
      const marker = join(dir, 'pwned');
      const path = join(dir, `x $(touch ${marker}) \`touch ${marker}\`; touch ${marker}`);
      execFileSync('sh', ['-c', uploadStateCommand(path, SHA).command]);
      execFileSync('sh', ['-c', resumableWriteCommand({ path, sha256: SHA, mode: '0644', offset: 0, size: 1 }).command], { input: 'x' });
      expect(existsSync(marker)).toBe(false);
    } catch (e) {
      // The write refuses the byte (its SHA-256 is not SHA): exit 3 is expected, a payload run is not.
      expect((e as { status?: number }).status).toBe(3);
    } finally {
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('name the partial file by the SHA-256, continue only from the checked offset, and start over at 0', () => {
    const resume = resumableWriteCommand({ path: '/usr/local/bin/etcd', sha256: SHA, mode: '0755', offset: 4096, size: 8192 }).command;
    expect(resume).toContain(`.ks-${SHA.slice(0, 16)}.part`);
    expect(resume).toContain('head -c 4096 "$t"');
    expect(resume).not.toContain(': > "$w"');
    const fresh = resumableWriteCommand({ path: '/usr/local/bin/etcd', sha256: SHA, mode: '0755', offset: 0, size: 8192 }).command;
    expect(fresh).toContain(': > "$w"');
    // Every write goes through the attempt's own file, never through the partial file's name.
    for (const cmd of [resume, fresh]) expect(cmd).not.toMatch(/>>? "\$t"/);
  });

  it('read the target and the partial file from the state lines, ignoring anything else', () => {
    expect(parseUploadState(`file ${SHA} 755\npart 4096 ${'b'.repeat(64)}\nnoise\n`)).toEqual({
      file: { sha256: SHA, mode: 0o755 },
      part: { size: 4096, sha256: 'b'.repeat(64) },
    });
    expect(parseUploadState('')).toEqual({});
  });
});

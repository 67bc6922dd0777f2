import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShellCommand } from '../../../src-shared/model/shell-command';
import { traceShell } from '../../../test/support/trace-shell';
import { labPlanSteps } from '../../../test/support/deploy/fixtures';
import { chooseByCommand, keptAnswer } from './kept-answer';

// A "binary" in a temp folder that says its version and counts its runs; the kept answers go to the temp folder too.
describe('keptAnswer under dash', () => {
  let dir: string;
  let tool: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-kept-'));
    tool = join(dir, 'tool');
    install('1.2');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function install(version: string, opts: { exit?: number } = {}): void {
    const next = join(dir, 'tool.new');
    writeFileSync(
      next,
      `#!/bin/sh\necho x >> "${dir}/runs"\necho "tool version ${version}"\necho "built by hand" >&2\nexit ${opts.exit ?? 0}\n`,
    );
    chmodSync(next, 0o755);
    renameSync(next, tool);
  }
  const runs = () => (existsSync(join(dir, 'runs')) ? readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length : 0);
  const ask = (file = tool) =>
    traceShell('dash', keptAnswer(file, `${tool} --version` as ShellCommand).command.replaceAll('/var/lib/kubesmith', dir));

  it('asks once; later asks give the same answer from one stat, without starting the program', () => {
    const first = ask();
    expect(first).toMatchObject({ status: 0, stdout: 'tool version 1.2\nbuilt by hand\n' });
    const again = ask();
    expect(again).toMatchObject({ status: 0, stdout: first.stdout, stderr: '' });
    expect(again.started).toEqual(['stat']);
    expect(runs()).toBe(1);
  });

  it('asks again once the file is replaced, or rewritten in place with its old size and mtime', () => {
    ask();
    install('1.3');
    expect(ask().stdout).toBe('tool version 1.3\nbuilt by hand\n');
    // Same inode, same size, mtime set back: only the ctime tells.
    const before = readFileSync(tool, 'utf8');
    writeFileSync(tool, before.replace('1.3', '1.4'));
    utimesSync(tool, new Date(0), new Date(0));
    expect(ask().stdout).toBe('tool version 1.4\nbuilt by hand\n');
    expect(runs()).toBe(3);
  });

  it('keeps no answer of a command that failed, nor one for a file it cannot read', () => {
    install('1.2', { exit: 3 });
    const failed = ask();
    expect(failed.status).not.toBe(0);
    expect(failed.stdout).toBe('tool version 1.2\nbuilt by hand\n');
    ask();
    expect(runs()).toBe(2);
    install('1.2');
    ask(join(dir, 'missing'));
    ask(join(dir, 'missing'));
    expect(runs()).toBe(4);
  });
});

describe('the variant files chosen by what a binary says of itself', () => {
  it('keep its answer on the host: containerd and etcd (--version), nginx (-V)', () => {
    const asking = labPlanSteps().flatMap((s) => (s.action.kind === 'file' && s.action.chooseByReads ? [s.action] : []));
    expect(new Set(asking.map((a) => a.chooseByReads))).toEqual(
      new Set(['/usr/local/bin/containerd', '/usr/local/bin/etcd', '/usr/sbin/nginx']),
    );
    for (const a of asking) {
      expect(a.chooseBy).toMatch(/^(\/usr\/local\/bin\/(containerd|etcd) --version|nginx -V )/);
      expect(chooseByCommand(a)).toContain(`/var/lib/kubesmith/answers/${a.chooseByReads?.split('/').join('%')}`);
    }
  });
});

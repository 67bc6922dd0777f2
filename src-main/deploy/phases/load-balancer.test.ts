import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { labPlanSteps } from '../../../test/support/deploy/fixtures';
import { traceShell } from '../../../test/support/trace-shell';

// The check that the load balancer listens runs on every run of every kubelet host: ss alone, its answer read by the shell.
describe('load balancer: the listening check', () => {
  let bin: string;
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'ks-lb-'));
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  const check = (listening: string) => {
    writeFileSync(join(bin, 'ss'), `#!/bin/sh\nprintf '%s\\n' '${listening}'\n`);
    chmodSync(join(bin, 'ss'), 0o755);
    const step = labPlanSteps().find((s) => s.id === 'load-balancer/h1/listening');
    if (!step || step.action.kind !== 'command') throw new Error('no listening check');
    return traceShell('dash', step.action.run, { env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` } });
  };

  it('passes when ss lists 127.0.0.1:6443, starting ss alone', () => {
    const r = check('LISTEN 0 511 127.0.0.1:6443 0.0.0.0:*');
    expect(r.status).toBe(0);
    expect(r.started).toEqual(['ss']);
  });

  it('fails when only another address listens on the port', () => {
    expect(check('LISTEN 0 511 10.231.0.11:6443 0.0.0.0:*').status).not.toBe(0);
    expect(check('').status).not.toBe(0);
  });
});

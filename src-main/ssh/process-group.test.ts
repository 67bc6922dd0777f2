import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcessGroupReader, reportingProcessGroup } from './process-group';

function read(chunks: string[]): { pgid: number | undefined; out: string } {
  let out = '';
  const reader = new ProcessGroupReader((c) => (out += c.toString()));
  for (const c of chunks) reader.push(Buffer.from(c, 'latin1'));
  reader.end();
  return { pgid: reader.pgid, out };
}

describe('ProcessGroupReader', () => {
  it('takes the marker off even when split across chunks', () => {
    expect(read(['\x1eks-pgid=12', '34\nwarning: x\n', 'more'])).toEqual({ pgid: 1234, out: 'warning: x\nmore' });
    expect(read(['\x1e', 'ks-pgid=7\n'])).toEqual({ pgid: 7, out: '' });
  });

  it('passes ordinary stderr through untouched', () => {
    expect(read(['error: nope\n'])).toEqual({ pgid: undefined, out: 'error: nope\n' });
    expect(read(['\x1eks-'])).toEqual({ pgid: undefined, out: '\x1eks-' });
  });

  it('reads what a real shell prints', () => {
    const stderr = execFileSync('sh', ['-c', `{ ${reportingProcessGroup('echo hi; echo oops >&2')}; } 2>&1 1>/dev/null`]).toString(
      'latin1',
    );
    const { pgid, out } = read([stderr]);
    expect(pgid).toBeGreaterThan(1);
    expect(out).toBe('oops\n');
  });
});

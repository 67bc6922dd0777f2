import { describe, expect, it } from 'vitest';
import { parseServeArgs } from './cli-args';

describe('parseServeArgs', () => {
  it('defaults to loopback and any free port', () => {
    expect(parseServeArgs([])).toEqual({ host: '127.0.0.1', port: 0 });
  });
  it('reads --host, --port and --data-dir, with or without =', () => {
    expect(parseServeArgs(['--serve', '--port', '8080', '--host=0.0.0.0', '--data-dir', '/tmp/x'])).toEqual({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/tmp/x',
    });
  });
  it('refuses unknown flags and bad ports with a usage hint', () => {
    expect(() => parseServeArgs(['--prot', '1'])).toThrow(/Unknown option --prot/);
    expect(() => parseServeArgs(['--port', 'abc'])).toThrow(/0 to 65535/);
    expect(() => parseServeArgs(['--port'])).toThrow(/needs a value/);
  });
});

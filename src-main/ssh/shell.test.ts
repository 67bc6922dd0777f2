import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { CommandAction } from '../../src-shared/model/plan';
import { raw, sh, shellOf, shellQuote, shJoin } from './shell';

const HOSTILE = ["it's", '$(rm -rf /)', '`id`', 'a b\nc', '"', '', '你好', '-n', ';touch /tmp/x;', '$HOME', '\\', '*'];
const printed = (command: string): string => execFileSync('sh', ['-c', command]).toString();

describe('shellQuote', () => {
  it('leaves plain words alone and survives a real shell round trip', () => {
    expect(shellQuote('/etc/kubernetes/admin.conf')).toBe('/etc/kubernetes/admin.conf');
    for (const word of HOSTILE) expect(printed(`printf %s ${shellQuote(word)}`)).toBe(word);
  });

  it('refuses a NUL, which no shell word can hold', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('sh', () => {
  it('quotes every value as one word, and an array as one word per item', () => {
    for (const word of HOSTILE) expect(printed(sh`printf '[%s]' ${word}`.command)).toBe(`[${word}]`);
    expect(printed(sh`printf '[%s]' ${HOSTILE}`.command)).toBe(HOSTILE.map((w) => `[${w}]`).join(''));
    expect(sh`echo ${[]}x`.command).toBe('echo x');
  });

  it('splices a command made by the builder as it is, and a value inside $( ) quoted', () => {
    const inner = sh`printf %s ${'a b'}`;
    expect(printed(sh`x=$(${inner}); printf '%s|' "$x" ${'$(id)'}`.command)).toBe('a b|$(id)|');
    expect(shJoin([raw('true'), sh`echo ${'x y'}`], ' && ').command).toBe("true && echo 'x y'");
    expect(shellOf(sh`echo ${'$x'}`.command).command).toBe("echo '$x'");
  });

  it('refuses a value interpolated inside quotes, where quoting cannot work', () => {
    expect(() => sh`echo "${'$(id)'}"`).toThrow(/inside double quotes/);
    expect(() => sh`echo '${'x'}'`).toThrow(/inside single quotes/);
    // Numbers are digits wherever they go.
    expect(sh`echo "port ${6443} in use"`.command).toBe('echo "port 6443 in use"');
    expect(() => sh`echo ${Number.NaN}`).toThrow();
  });

  it('refuses a template whose quotes do not close', () => {
    expect(() => sh`echo 'open ${'x'}`).toThrow();
    expect(() => sh`echo $(true`).toThrow(/unbalanced/);
  });

  it('is the only way to a command: plain strings do not typecheck', () => {
    const computed = `echo ${String(Date.now())}`;
    // @ts-expect-error raw takes only a literal, never a computed string.
    raw(computed);
    // @ts-expect-error a plan's command is a ShellCommand, not a string.
    const action: CommandAction = { kind: 'command', run: computed };
    expect(action.run).toBe(computed);
  });
});

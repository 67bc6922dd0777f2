import type { ShellCommand } from '../../src-shared/model/shell-command';

/**
 * The one way a value reaches a host's shell. `sh` is a tagged template: its literal text is the command (trusted,
 * written here in the source), every interpolated value is quoted as one word, arrays become separately quoted words,
 * and a `Shell` made earlier is spliced in as it is. `raw` takes only a string literal. A step, a plan and the engine
 * take nothing else (`ShellCommand` is branded), so a new phase cannot put a value into a command unquoted.
 */

const SAFE_WORD = /^[A-Za-z0-9_./:=@%+,-]+$/;

/** Quotes one word for a POSIX shell: everything inside single quotes, embedded quotes spliced in. */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new Error('A shell word cannot hold a NUL character.');
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

let fromText: (text: string) => Shell;

/** A command (or a piece of one) made by `sh`, `raw` or `shJoin`. */
export class Shell {
  static {
    fromText = (text) => new Shell(text as ShellCommand);
  }
  private constructor(readonly command: ShellCommand) {}
  toString(): string {
    return this.command;
  }
}

export type ShellWord = string | number | Shell;
export type ShellValue = ShellWord | readonly ShellWord[];

type Context = 'single' | 'double' | 'subst' | 'paren' | 'backtick';

function openSubst(stack: Context[], i: number): number {
  stack.push('subst');
  return i + 1;
}

/** Follows the quoting of a template's literal text, so a value is never interpolated inside quotes. */
function scan(stack: Context[], text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (top === 'single') {
      if (c === "'") stack.pop();
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (top === 'double') {
      if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '(') i = openSubst(stack, i);
      else if (c === '`') stack.push('backtick');
      continue;
    }
    if (c === '`' && top === 'backtick') stack.pop();
    else if (c === '`') stack.push('backtick');
    else if (c === "'") stack.push('single');
    else if (c === '"') stack.push('double');
    else if (c === '$' && text[i + 1] === '(') i = openSubst(stack, i);
    else if (c === '(') stack.push('paren');
    else if (c === ')' && (top === 'subst' || top === 'paren')) stack.pop();
  }
}

function word(value: ShellWord): string {
  if (value instanceof Shell) return value.command;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sh: ${value} is not a number a shell can take.`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Error(`sh: a ${typeof value} is not a shell word.`);
  return shellQuote(value);
}

/** A command: literal text as written, each value quoted (see the module's comment). */
export function sh(strings: TemplateStringsArray, ...values: readonly ShellValue[]): Shell {
  const stack: Context[] = [];
  let out = strings[0] ?? '';
  scan(stack, out);
  values.forEach((value, i) => {
    const top = stack[stack.length - 1];
    // Numbers are digits whatever the quotes; anything else would change meaning inside "…" (a quoted $(…) runs).
    if (typeof value !== 'number' && (top === 'single' || top === 'double')) {
      throw new Error(`sh: a value is interpolated inside ${top} quotes, after: ${out.slice(-60)}`);
    }
    out += Array.isArray(value) ? (value as readonly ShellWord[]).map(word).join(' ') : word(value as ShellWord);
    const literal = strings[i + 1] ?? '';
    scan(stack, literal);
    out += literal;
  });
  if (stack.length > 0) throw new Error(`sh: unbalanced quoting (${stack.join(', ')} left open) in: ${out.slice(0, 120)}`);
  return fromText(out);
}

/** A command a plan already carries (made by this builder, as its brand says), to build on. */
export function shellOf(command: ShellCommand): Shell {
  return fromText(command);
}

/** Trusted command text, taken only as a string literal (a computed string does not typecheck). */
export function raw<T extends string>(text: string extends T ? never : T): Shell {
  return fromText(text);
}

export type ShellSeparator = ' && ' | ' || ' | '; ' | ' | ' | '|' | ' ' | '\n';

/** Commands one after another, joined by a shell operator. */
export function shJoin(parts: readonly Shell[], separator: ShellSeparator): Shell {
  return fromText(parts.map((p) => p.command).join(separator));
}

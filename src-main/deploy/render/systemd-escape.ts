import { KubesmithError } from '../../../src-shared/errors';

/*
 * Values written into systemd unit and environment files. Facts relied on:
 * - systemd.service(5) "Command lines" (https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Command%20lines):
 *   a command line is split into words on whitespace; a word may be double- or single-quoted, and C-style escapes
 *   (\\, \") are decoded; "$$" passes a literal dollar sign ($FOO and ${FOO} are substituted otherwise); a lone ";"
 *   separates commands; the executable may carry the prefixes "-", "@", ":", "+", "!".
 * - systemd.unit(5) "Specifiers": "%%" is a single percent sign; specifiers are expanded in ExecStart= whether quoted
 *   or not, and in Description=, WorkingDirectory= and other settings.
 * - systemd.syntax(7) (https://www.freedesktop.org/software/systemd/man/latest/systemd.syntax.html): a line ending in a
 *   backslash continues on the next one; "#" and ";" start comments only at the start of a line.
 * - systemd.exec(5) EnvironmentFile= (https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#EnvironmentFile=):
 *   newline-separated assignments, whitespace around a value stripped unless it is double-quoted; inside double quotes
 *   a backslash escapes the next character of \ " ` $.
 * A newline or NUL (any control character) cannot be represented in these places: such a value is refused.
 */

function refuseControl(value: string, where: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) {
    throw new KubesmithError(
      'UnsafeValue',
      `${JSON.stringify(value)} cannot be written into ${where}: it holds a control character (a line break?).`,
      'Correct the value in the inventory or the cluster settings.',
      { value },
    );
  }
}

const SAFE_ARG = /^[A-Za-z0-9_./:=@+,%$*[\]-]+$/;

/** One argument of an Exec*= command line: passed to the program exactly as given. */
export function systemdArg(value: string): string {
  refuseControl(value, 'a systemd command line');
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/%/g, '%%')
    .replace(/\$/g, () => '$$');
  return SAFE_ARG.test(value) ? escaped : `"${escaped.replace(/"/g, '\\"')}"`;
}

/** The program of an Exec*= line: an absolute path we chose, optionally with systemd's prefixes. */
export function systemdExecutable(path: string): string {
  if (!/^[-@:+!]*\/[A-Za-z0-9_./-]+$/.test(path)) throw new Error(`systemd unit: ${JSON.stringify(path)} is not an absolute program path`);
  return path;
}

/** A whole command line: the program, then each argument as one word. */
export function systemdCommandLine(argv: readonly string[], separator = ' '): string {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('systemd unit: an empty command line');
  return [systemdExecutable(program), ...args.map(systemdArg)].join(separator);
}

/** A free-text setting (Description=, WorkingDirectory=): specifiers escaped, no line breaks, no continuation. */
export function systemdText(value: string): string {
  refuseControl(value, 'a systemd unit');
  return value.replace(/%/g, '%%').replace(/\\$/, '\\\\');
}

/** A unit name in After=, Wants=, Requires=. */
export function systemdUnitName(name: string): string {
  if (!/^[A-Za-z0-9:_.@\\-]+$/.test(name)) throw new Error(`systemd unit: ${JSON.stringify(name)} is not a unit name`);
  return name;
}

/** One NAME=value line of an environment file (EnvironmentFile=), read back as exactly `value`. */
export function envFileLine(name: string, value: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`environment file: ${JSON.stringify(name)} is not a variable name`);
  refuseControl(value, 'an environment file');
  if (/^[A-Za-z0-9_./:=@+,%-]*$/.test(value)) return `${name}=${value}`;
  return `${name}="${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

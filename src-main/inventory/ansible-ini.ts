import { KubesmithError } from '../../src-shared/errors';

export interface InventoryHost {
  /** The name the inventory gives the host: usually its address. */
  name: string;
  vars: Record<string, string>;
  line: number;
}

export interface AnsibleInventory {
  /** Hosts of each group, in file order; a group named twice is one group. */
  groups: Record<string, InventoryHost[]>;
  /** [group:vars] sections; [all:vars] is groupVars.all. */
  groupVars: Record<string, Record<string, string>>;
}

/** A bigger expansion than this is surely a typo, not a home lab. */
const MAX_EXPANSION = 1024;

/**
 * Reads an Ansible inventory in INI form, as kubeasz writes it: [group] sections of
 * "host key=value …" lines (host ranges like 192.168.50.[20:22] expanded), [group:vars]
 * sections of key=value lines, # and ; comments. [group:children] sections are skipped.
 */
export function parseAnsibleIni(text: string): AnsibleInventory {
  const groups: Record<string, InventoryHost[]> = {};
  const groupVars: Record<string, Record<string, string>> = {};
  let section: { group: string; kind: 'hosts' | 'vars' | 'children' } = { group: 'ungrouped', kind: 'hosts' };

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(content);
    if (header) {
      section = { group: header[1]!.trim(), kind: (header[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      if (section.kind === 'hosts') groups[section.group] ??= [];
      return;
    }
    if (content.startsWith('[')) throw invalid(line, `"${content}" is not a section header like [etcd] or [all:vars]`);
    if (section.kind === 'children') return;
    if (section.kind === 'vars') {
      const eq = content.indexOf('=');
      if (eq <= 0) throw invalid(line, `"${content}" is not a key=value line`);
      const vars = (groupVars[section.group] ??= {});
      vars[content.slice(0, eq).trim()] = unquote(stripComment(content.slice(eq + 1)).trim());
      return;
    }
    const tokens = tokenize(content, line);
    const [pattern, ...assignments] = tokens;
    const vars: Record<string, string> = {};
    for (const assignment of assignments) {
      const eq = assignment.indexOf('=');
      if (eq <= 0) throw invalid(line, `"${assignment}" is not a key=value host variable`);
      vars[assignment.slice(0, eq)] = unquote(assignment.slice(eq + 1));
    }
    const hosts = (groups[section.group] ??= []);
    for (const name of expandPattern(pattern!, line)) hosts.push({ name, vars: { ...vars }, line });
  });
  return { groups, groupVars };
}

function invalid(line: number, why: string): KubesmithError {
  return new KubesmithError(
    'InvalidKubeaszInventory',
    `Line ${line} of the hosts file: ${why}.`,
    'Check the file: it should be the INI `hosts` file of a kubeasz cluster.',
    { line },
  );
}

/** Splits on spaces outside quotes and drops a # comment; quotes stay, unquote() removes them per value. */
function tokenize(content: string, line: number): string[] {
  const tokens: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of content) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === '#' && current === '') {
      break;
    } else if (/\s/.test(ch)) {
      if (current !== '') tokens.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quote) throw invalid(line, 'a quote is not closed');
  if (current !== '') tokens.push(current);
  return tokens;
}

function stripComment(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("'")) return trimmed;
  return value.replace(/\s[#;].*$/, '');
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** Ansible host ranges: node[1:3] → node1, node2, node3; [01:03] keeps the zero padding. */
function expandPattern(pattern: string, line: number): string[] {
  const range = /\[([0-9]+):([0-9]+)\]/.exec(pattern);
  if (!range) return [pattern];
  const [whole, fromText, toText] = range as unknown as [string, string, string];
  const from = Number(fromText);
  const to = Number(toText);
  if (to < from || to - from + 1 > MAX_EXPANSION) throw invalid(line, `the host range ${whole} is backwards or too large`);
  const width = fromText.startsWith('0') ? fromText.length : 0;
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const expanded = pattern.slice(0, range.index) + String(n).padStart(width, '0') + pattern.slice(range.index + whole.length);
    out.push(...expandPattern(expanded, line));
  }
  return out;
}

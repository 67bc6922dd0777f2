import type { Finding, FindingCode } from '../../../../src-shared/model/validate-topology';

/** Findings about one host each: several of a kind are shown as one line that names them all. */
export const GROUPED_CODES = ['noRole', 'probeFailed', 'lowResources', 'jumpMissing'] as const satisfies readonly FindingCode[];
export type GroupedCode = (typeof GROUPED_CODES)[number];

export type FindingLine =
  | { kind: 'single'; finding: Finding }
  | { kind: 'group'; code: GroupedCode; severity: Finding['severity']; findings: Finding[]; params: Record<string, string | number> };

/**
 * The Checks panel's lines: one per finding, except per-host findings of the same code and severity, which become
 * one line ("5 hosts have no role: …") at the place of the first, with each host's own text kept for details.
 */
export function groupFindings(findings: readonly Finding[]): FindingLine[] {
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!isGrouped(f.code)) continue;
    const key = `${f.code}/${f.severity}`;
    byKey.set(key, [...(byKey.get(key) ?? []), f]);
  }
  const lines: FindingLine[] = [];
  const placed = new Set<string>();
  for (const f of findings) {
    const key = `${f.code}/${f.severity}`;
    const group = isGrouped(f.code) ? byKey.get(key) : undefined;
    if (!group || group.length < 2) {
      lines.push({ kind: 'single', finding: f });
      continue;
    }
    if (placed.has(key)) continue;
    placed.add(key);
    lines.push({
      kind: 'group',
      code: f.code as GroupedCode,
      severity: f.severity,
      findings: group,
      params: { ...f.params, count: group.length, names: group.map((g) => String(g.params.name)).join(', ') },
    });
  }
  return lines;
}

function isGrouped(code: FindingCode): code is GroupedCode {
  return (GROUPED_CODES as readonly string[]).includes(code);
}

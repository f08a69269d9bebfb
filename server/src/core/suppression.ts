import type { Finding } from './finding.js';
import { computeLineStarts, offsetToPosition } from './span.js';

/**
 * Inline suppression: `# kvmnet-disable-next-line [id ...]` (iptables) or
 * `<!-- kvmnet-disable-next-line [id ...] -->` (XML) silences the listed rules (all rules when none
 * is listed) on the next line. Ids may be separated by spaces or commas.
 */
const DIRECTIVE = /(?:#|<!--)\s*kvmnet-disable-next-line\b([^\n]*?)(?:-->)?\s*$/;

export interface Suppressions {
  /** 0-based line -> ids (an empty set means every rule). */
  readonly byLine: ReadonlyMap<number, ReadonlySet<string>>;
}

export function findSuppressions(text: string): Suppressions {
  const byLine = new Map<number, Set<string>>();
  if (!text.includes('kvmnet-disable-next-line')) return { byLine };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const ids = directiveIds(line);
    if (ids) byLine.set(i + 1, new Set(ids));
  });
  return { byLine };
}

/** The rule ids of the directive on `line` (empty: every rule), or undefined when the line has none. */
export function directiveIds(line: string): string[] | undefined {
  const m = DIRECTIVE.exec(line.replace(/\r$/, ''));
  return m ? (m[1] ?? '').split(/[\s,]+/).filter((s) => s.length > 0) : undefined;
}

export function applySuppressions(text: string, findings: readonly Finding[], lineStarts = computeLineStarts(text)): Finding[] {
  const { byLine } = findSuppressions(text);
  if (byLine.size === 0) return [...findings];
  return findings.filter((f) => {
    const ids = byLine.get(offsetToPosition(lineStarts, f.span.start).line);
    if (!ids) return true;
    return ids.size > 0 && !ids.has(f.ruleId);
  });
}

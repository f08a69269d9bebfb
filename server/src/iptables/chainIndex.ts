/**
 * The chains a ruleset declares, read from its text line by line without the parser: what "Go to
 * Symbol in Workspace" lists for files that are not open (the language server keeps this list for
 * each ruleset of the workspace, which costs a few bytes a chain instead of a parsed document).
 *
 * A declaration is a `:NAME POLICY [p:b]` line or a `-N NAME` (`--new-chain NAME`, `--new-chain=NAME`)
 * inside a `*table` block. Quoting, counters before `-N` and getopt's other spellings are left to the
 * full parser: a chain declared that way in an unopened file is simply not listed.
 */

export interface DeclaredChain {
  readonly name: string;
  readonly table: string;
  /** 0-based line. */
  readonly line: number;
  /** UTF-16 columns of the name on its line. */
  readonly start: number;
  readonly end: number;
}

const NEW_CHAIN = /^(-N|--new-chain)(?:[ \t]+|=)([^\s"]+)/;
const CHAIN_LINE = /^:([^\s"]+)/;

export function declaredChains(text: string): DeclaredChain[] {
  const out: DeclaredChain[] = [];
  let table: string | undefined;
  let line = 0;
  for (let at = 0; at <= text.length; line++) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    const c = text.charCodeAt(at);
    if (c === 42) {
      // "*filter": a table begins
      table = text.slice(at + 1, end).trim() || undefined;
    } else if (table !== undefined && (c === 58 || c === 45)) {
      const row = text.slice(at, Math.min(end, at + 512));
      if (c === 58) {
        const m = CHAIN_LINE.exec(row);
        if (m) out.push({ name: m[1] as string, table, line, start: 1, end: 1 + (m[1] as string).length });
      } else {
        const m = NEW_CHAIN.exec(row);
        if (m) {
          const name = m[2] as string;
          const start = m[0].length - name.length;
          out.push({ name, table, line, start, end: start + name.length });
        }
      }
    } else if (c === 67 && /^COMMIT\s*$/.test(text.slice(at, end))) {
      table = undefined;
    }
    if (nl === -1) break;
    at = nl + 1;
  }
  return out;
}

/**
 * Whether a workspace-symbol query matches a name: its characters appear in the name in order,
 * ignoring case (as VS Code's own filter of the list does); the empty query matches everything.
 */
export function matchesQuery(name: string, query: string): boolean {
  if (query === '') return true;
  const n = name.toLowerCase();
  const q = query.toLowerCase();
  let at = 0;
  for (let i = 0; i < q.length; i++) {
    at = n.indexOf(q[i] as string, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}

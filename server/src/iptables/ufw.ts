/**
 * ufw's rule files. ufw keeps its framework in files of the iptables-restore format
 * (/etc/ufw/before.rules, after.rules, user.rules and their IPv6 twins before6.rules ...), and loads
 * each with `iptables-restore -n` (no flush) on top of chains it has made itself: before.rules jumps
 * to ufw-logging-deny, which no file declares, and ufw's own chains jump to ufw-before-input.
 * Read alone such a file is incomplete; read as ufw loads it, it is not. A file is taken for one of
 * ufw's when a table of it declares a chain of ufw's (every one of them does, in its "required
 * lines") and none of the built-in chains (which a dump of the whole ruleset declares).
 */
import type { Analysis, TableAnalysis } from './analysis.js';

/** The names ufw gives its chains: ufw-before-input, ufw-logging-deny, ufw6-... */
export function isUfwChainName(name: string): boolean {
  return name.startsWith('ufw-') || name.startsWith('ufw6-');
}

/**
 * The chains ufw makes itself and its stock rule files jump to without declaring them (before.rules
 * logs to ufw-logging-deny, after.rules skips to ufw-skip-to-policy-input ...), for IPv4 and IPv6.
 * kvmnet knows these exist where ufw loads the file; other undeclared ufw chains get a hint.
 */
const FRAMEWORK_CHAINS: ReadonlySet<string> = new Set(
  ['logging-deny', 'logging-allow', 'skip-to-policy-input', 'skip-to-policy-output', 'skip-to-policy-forward']
    .flatMap((c) => [`ufw-${c}`, `ufw6-${c}`]),
);

/** A chain ufw makes itself (see FRAMEWORK_CHAINS). */
export function isUfwFrameworkChain(name: string): boolean {
  return FRAMEWORK_CHAINS.has(name);
}

/** By a table's chain map (shared by the views that incremental and streamed linting make of a table). */
const declaresUfwChains = new WeakMap<TableAnalysis['chains'], boolean>();

/**
 * Whether the table is a piece of ufw's: it declares a chain of ufw's and no built-in chain. An
 * iptables-save dump of a ufw host declares ufw's chains too, but also INPUT, FORWARD and OUTPUT
 * with their policies, and is complete: it is read as any dump.
 */
function tableDeclaresUfwChains(t: TableAnalysis): boolean {
  let known = declaresUfwChains.get(t.chains);
  if (known === undefined) {
    let ufw = false;
    let builtin = false;
    for (const info of t.chains.values()) {
      if (info.declarations.length === 0) continue;
      if (info.builtin) builtin = true;
      else if (isUfwChainName(info.name)) ufw = true;
    }
    known = ufw && !builtin;
    declaresUfwChains.set(t.chains, known);
  }
  return known;
}

/** Whether the document is one of ufw's rule files (see tableDeclaresUfwChains). */
export function isUfwRulesFile(analysis: Analysis): boolean {
  for (let i = 0; i < analysis.tables.length; i++) if (tableDeclaresUfwChains(analysis.tables[i] as TableAnalysis)) return true;
  return false;
}

/**
 * kvmnet's own LSP requests, shared by the server and the VS Code client (other clients may use
 * them too; none needs them).
 */
import type { FamilyEvidence } from '../iptables/parser.js';
import type { Family } from '../iptables/kb/types.js';

/**
 * `kvmnet/family` with `{ uri }`: the address family the server reads an open ruleset in, and what
 * decided it (the `kvmnet.iptables.family` setting, else the file's name, its iptables-save
 * header or its content); null for a document that is no iptables ruleset. The VS Code client
 * shows it as a language status item.
 */
export const FAMILY_REQUEST = 'kvmnet/family';

export interface FamilyAnswer {
  readonly family: Family;
  readonly evidence: FamilyEvidence | 'setting';
}

/**
 * `kvmnet/workspaceRulesets` (no parameters): the rulesets of the workspace folders that the server
 * lints from disk (`kvmnet.workspaceDiagnostics`), as paths, answered once the search for them and
 * their lints are done; empty when that lint is off.
 */
export const WORKSPACE_RULESETS_REQUEST = 'kvmnet/workspaceRulesets';

export interface WorkspaceRulesetsAnswer {
  readonly paths: readonly string[];
}

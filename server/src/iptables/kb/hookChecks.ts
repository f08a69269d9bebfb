/**
 * Hook checks that a kernel extension makes in its own check function, apart from the hooks it
 * registers (physdev's output port, policy's direction, addrtype's interface limits). The two
 * backends differ there. The legacy backend runs that function when it loads the table, with every
 * built-in chain that reaches the rule. The nf_tables backend runs it once, when the rule is added,
 * with the hook of the rule's chain if that chain is a built-in one and with none otherwise (it
 * re-checks only the registered hooks when a jump makes a user chain reachable). Measured on this
 * host with both tools (test/iptables/backends.test.ts): `-A OUTPUT -m physdev --physdev-out eth0` is refused, the same rule in a user
 * chain that OUTPUT jumps to loads with iptables-nft-restore.
 *
 * So a refused hook is an error when it is the rule's own chain and a warning when it reaches the
 * rule through a user chain.
 */
import type { ExtensionProblem } from './types.js';

/**
 * The problem, if any, of an extension option that its kernel check refuses in some built-in
 * chains. `refused` says which; `reason` words the message for the hooks at fault.
 */
export function checkedHookProblem(
  given: ReadonlyMap<string, readonly string[]>,
  option: string,
  refused: (hook: string) => boolean,
  reason: (hooks: readonly string[]) => string,
): ExtensionProblem | undefined {
  const bad = (given.get('@hooks') ?? []).filter(refused);
  if (bad.length === 0) return undefined;
  const own = given.get('@chain')?.[0];
  if (own !== undefined && bad.includes(own)) return { option, message: reason([own]) };
  return { option, severity: 'warning', message: `${reason(bad)}; this rule's chain is reached from ${bad.join(', ')} through a jump, which the legacy backend refuses when it loads the ruleset (the nf_tables backend does not check it there)` };
}

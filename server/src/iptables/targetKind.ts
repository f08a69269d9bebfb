import type { TableAnalysis } from './analysis.js';
import { allTargets, findMatch, findTarget, targetOnlyInOtherFamily } from './kb/index.js';
import { ALL_BUILTIN_CHAINS, STANDARD_TARGETS } from './kb/tables.js';
import type { Family } from './kb/types.js';
import type { ResolvedRule } from './resolve.js';
import { nearMiss } from './similarity.js';

/**
 * What the name after `-j`/`-g` is. iptables looks for a chain of the table first, then for a
 * target extension; a name that is neither is refused ("Chain 'X' does not exist" / "Couldn't
 * load target"). kvmnet splits the refusals by what the author most likely meant.
 */
export type TargetKind =
  | { kind: 'none' }
  | { kind: 'standard' }
  | { kind: 'extension' }
  | { kind: 'userChain' }
  | { kind: 'builtinChain' }
  /** A target of the other family (`-j REJECT --reject-with icmp6-...` is fine; `-j DNPT` in IPv4 is not). */
  | { kind: 'otherFamily' }
  /** A match's name used as a target (`-j conntrack`). */
  | { kind: 'isMatch'; match: string }
  /** Close to a known target or chain name: "did you mean". */
  | { kind: 'nearMiss'; suggestion: string; isChain: boolean }
  /**
   * No name at all: getopt gave -j/-g the next word, an option or a "!" (`-j --save-mark`), so the
   * target is missing. No extension or chain can be named so.
   */
  | { kind: 'notAName' }
  /** Takes options, so it is an extension kvmnet does not know. */
  | { kind: 'unknownExtension' }
  | { kind: 'undefinedChain' };

/** The kinds without details, one object each (every rule of a ruleset gets one). */
const NONE: TargetKind = Object.freeze({ kind: 'none' });
const STANDARD: TargetKind = Object.freeze({ kind: 'standard' });
const EXTENSION: TargetKind = Object.freeze({ kind: 'extension' });
const USER_CHAIN: TargetKind = Object.freeze({ kind: 'userChain' });
const BUILTIN_CHAIN: TargetKind = Object.freeze({ kind: 'builtinChain' });
const OTHER_FAMILY: TargetKind = Object.freeze({ kind: 'otherFamily' });
const UNKNOWN_EXTENSION: TargetKind = Object.freeze({ kind: 'unknownExtension' });
const UNDEFINED_CHAIN: TargetKind = Object.freeze({ kind: 'undefinedChain' });
const NOT_A_NAME: TargetKind = Object.freeze({ kind: 'notAName' });

/** A word that cannot name an extension or a chain: an option, or a "!", taken as the name. */
export function isNotAName(name: string): boolean {
  return name === '!' || (name.length > 1 && name.charCodeAt(0) === 45); // "-"
}

export function classifyTarget(r: ResolvedRule, ta: TableAnalysis, family: Family): TargetKind {
  const name = r.target?.word?.text;
  if (!r.target || name === undefined || name === '') return NONE;
  if (r.target.isUserChain) return USER_CHAIN;
  if (isNotAName(name)) return NOT_A_NAME;
  if (STANDARD_TARGETS.includes(name)) return STANDARD;
  if (ta.chains.get(name)?.builtin || ALL_BUILTIN_CHAINS.includes(name)) return ta.chains.get(name)?.builtin ? BUILTIN_CHAIN : UNDEFINED_CHAIN;
  if (findTarget(name, family)) return EXTENSION;
  if (targetOnlyInOtherFamily(name, family)) return OTHER_FAMILY;
  if (findMatch(name, family) && !/^[A-Z]/.test(name)) return { kind: 'isMatch', match: name };
  // Single quotes (from a shell command) are part of the word in a restore file: `-j 'SNAT'`.
  const bare = /^'(.+)'$/.exec(name)?.[1];
  if (bare !== undefined && (STANDARD_TARGETS.includes(bare) || findTarget(bare, family) || ta.chains.get(bare)?.builtin === false)) {
    return { kind: 'nearMiss', suggestion: bare, isChain: ta.chains.get(bare)?.builtin === false };
  }
  const userChains = [...ta.chains.values()].filter((c) => !c.builtin).map((c) => c.name);
  const chainMiss = nearMiss(name, userChains);
  if (chainMiss) return { kind: 'nearMiss', suggestion: chainMiss, isChain: true };
  const targetMiss = nearMiss(name, [...STANDARD_TARGETS, ...allTargets(family).map((t) => t.name)]);
  if (targetMiss) return { kind: 'nearMiss', suggestion: targetMiss, isChain: false };
  if ((r.target.extension?.opaque.length ?? 0) > 0) return UNKNOWN_EXTENSION;
  return UNDEFINED_CHAIN;
}

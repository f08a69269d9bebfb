/** The knowledge base: lookups over the match and target registries. */
import { MATCH_SPECS } from './matches/index.js';
import { TARGET_SPECS } from './targets/index.js';
import type { ExtensionSpec, Family, MatchSpec, OptionSpec, TargetSpec } from './types.js';

function indexByName<T extends ExtensionSpec>(specs: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const spec of specs) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      const list = map.get(name) ?? [];
      list.push(spec);
      map.set(name, list);
    }
  }
  return map;
}

const matchesByName = indexByName(MATCH_SPECS);
const targetsByName = indexByName(TARGET_SPECS);

function pick<T extends ExtensionSpec>(list: T[] | undefined, family: Family): T | undefined {
  if (!list) return undefined;
  return list.find((s) => s.family === family) ?? list.find((s) => s.family === undefined);
}

/** The match loaded by `-m name` in this family (names are case-sensitive, as in iptables). */
export function findMatch(name: string, family: Family): MatchSpec | undefined {
  return pick(matchesByName.get(name), family);
}

export function findTarget(name: string, family: Family): TargetSpec | undefined {
  return pick(targetsByName.get(name), family);
}

/** Exists in the knowledge base, but only for the other family (e.g. `-m icmp6` in an IPv4 ruleset). */
export function matchOnlyInOtherFamily(name: string, family: Family): MatchSpec | undefined {
  const list = matchesByName.get(name);
  if (!list || pick(list, family)) return undefined;
  return list[0];
}

export function targetOnlyInOtherFamily(name: string, family: Family): TargetSpec | undefined {
  const list = targetsByName.get(name);
  if (!list || pick(list, family)) return undefined;
  return list[0];
}

export function allMatches(family: Family): MatchSpec[] {
  return MATCH_SPECS.filter((s) => s.family === undefined || s.family === family);
}

export function allTargets(family: Family): TargetSpec[] {
  return TARGET_SPECS.filter((s) => s.family === undefined || s.family === family);
}

/** The option spec of an extension by any of its spellings, with its canonical name. */
export function findOption(spec: ExtensionSpec, option: string): { name: string; spec: OptionSpec } | undefined {
  const direct = spec.options[option];
  if (direct) return { name: option, spec: direct };
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.aliases?.includes(option)) return { name, spec: o };
  }
  return undefined;
}

export type { ExtensionSpec, MatchSpec, TargetSpec, OptionSpec, Family } from './types.js';

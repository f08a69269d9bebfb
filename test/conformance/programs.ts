/**
 * Random structural programs: short rulesets of one table written from the commands that make,
 * change and remove chains and rules (-A -I -R -D -N -X -E -F -Z -P and chain lines), over three
 * user chains and the table's built-in chains, with jumps, gotos and verdicts. Where the structural
 * edits of real rulesets (structure.ts) change one line of a ruleset that loads, these put the
 * commands in any order, so that what a line finds in its table (and what the kernel finds when the
 * table is committed: loops, the hooks of a user chain, the rules left) varies widely.
 *
 * A seeded generator makes the same programs on every machine. Three mixes: `mixed` draws every
 * command, so most programs are refused somewhere; `plain` draws the ones that usually load (rules
 * added, inserted and deleted, chains flushed), so that more of them run to their COMMIT; `loads`
 * writes programs that mostly load: jumps go from a user chain to a later one (but in one program in
 * four), targets are allowed everywhere, and a -D by specification repeats a rule added before.
 */
import type { Family } from './corpus.js';

export type ProgramTable = 'filter' | 'nat' | 'mangle';
export type ProgramMix = 'mixed' | 'plain' | 'loads';

export interface ProgramSet {
  readonly table: ProgramTable;
  readonly family: Family;
  readonly mix: ProgramMix;
  readonly count: number;
  readonly seed: number;
}

const USER = ['A', 'B', 'C'];

const BUILTIN: Record<ProgramTable, readonly string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

/** Targets of each table, among them some that are allowed in some built-in chains only. */
function verdicts(table: ProgramTable, family: Family): readonly string[] {
  const address = family === 'ipv6' ? '2001:db8::2' : '192.0.2.2';
  if (table === 'nat') return ['ACCEPT', 'RETURN', 'MASQUERADE', `DNAT --to-destination ${address}`, `SNAT --to-source ${address}`, 'REDIRECT'];
  if (table === 'mangle') return ['ACCEPT', 'RETURN', 'MARK --set-mark 1', 'TPROXY --on-port 1 --tproxy-mark 1', 'CHECKSUM --checksum-fill', 'TCPMSS --clamp-mss-to-pmtu'];
  return ['ACCEPT', 'DROP', 'RETURN', 'REJECT', 'LOG'];
}

/** A small linear congruential generator: the same seed gives the same programs everywhere. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return (state >> 4) % n;
  };
}

/** The commands drawn, by number (see `program`); `plain` leaves out those that are mostly refused. */
const MIXED = [0, 1, 2, 3, 4, 15, 4, 0, 6, 11, 12, 13, 8, 9, 7, 14];
const PLAIN = [0, 0, 0, 6, 6, 11, 4, 7, 3, 7];

/** One program of the set, from its seed. */
export function program(set: ProgramSet, seed: number): string {
  if (set.mix === 'loads') return loadingProgram(set, seed);
  const { table, family, mix } = set;
  const pick = generator(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)] as T;
  const builtin = BUILTIN[table];
  const targets = verdicts(table, family);
  const chain = (): string => (pick(3) === 0 ? one(builtin) : one(USER));
  const target = (): string => (pick(3) === 0 ? one(targets) : one(USER));
  const spec = (): string => one(['', '-p tcp --dport 22 ', family === 'ipv6' ? '-s 2001:db8::1 ' : '-s 192.0.2.1 ', '-i eth0 ', '-o eth0 ', '-p tcp --syn ']);
  const policies = table === 'nat' ? ['ACCEPT'] : ['ACCEPT', 'DROP'];
  const lines = [`*${table}`];
  const declareAll = mix === 'plain' || pick(5) > 0;
  if (declareAll) for (const u of USER) if (mix === 'plain' || pick(6) > 0) lines.push(`:${u} - [0:0]`);
  const extra = pick(3);
  for (let k = 0; k < extra; k++) lines.push(pick(6) === 0 ? `:${one(builtin)} ${one(policies)} [0:0]` : `:${one(USER)} - [0:0]`);
  // -R (which makes iptables-nft-restore 1.8.9 crash) and -E (which it refuses for a chain the
  // file makes) end nearly every program they are in; one program in seven may have them.
  const renames = seed % 7 === 0;
  const n = 2 + pick(7);
  for (let k = 0; k < n; k++) {
    let kind = mix === 'plain' ? (one(PLAIN) as number) : pick(4) === 0 ? pick(16) : (one(MIXED) as number);
    if ((kind === 5 || kind === 10) && !renames) kind = 0;
    switch (kind) {
      case 3: lines.push(`-A ${chain()} ${spec()}-g ${one(USER)}`); break;
      case 4: lines.push(`-I ${chain()}${pick(2) ? ` ${1 + pick(3)}` : ''} ${spec()}-j ${target()}`); break;
      case 5: lines.push(`-R ${chain()} ${1 + pick(3)} ${spec()}-j ${target()}`); break;
      case 6: lines.push(`-D ${chain()} ${1 + pick(3)}`); break;
      case 7: lines.push(`-D ${chain()} ${spec()}-j ${target()}`); break;
      case 8: lines.push(`-N ${one(USER)}`); break;
      case 9: lines.push(pick(4) ? `-X ${one(USER)}` : '-X'); break;
      case 10: lines.push(`-E ${one(USER)} ${pick(5) ? one([...USER, 'D']) : one(builtin)}`); break;
      case 11: lines.push(pick(3) ? `-F ${chain()}` : '-F'); break;
      case 12: lines.push(pick(3) ? `-Z ${chain()}` : '-Z'); break;
      case 13: lines.push(`-P ${pick(4) ? one(builtin) : one(USER)} ${one(table === 'nat' ? ['ACCEPT', 'ACCEPT', 'DROP'] : policies)}`); break;
      case 14: lines.push(`:${one(USER)} - [0:0]`); break;
      case 15: lines.push(`-A ${chain()} -j ${target()}`); break;
      default: lines.push(`-A ${chain()} ${spec()}-j ${target()}`);
    }
  }
  lines.push('COMMIT');
  // Sometimes the same table again: it starts empty, whatever the first block made.
  if (pick(5) === 0) {
    lines.push(`*${table}`);
    const m = 1 + pick(3);
    for (let k = 0; k < m; k++) lines.push(one([`-A ${chain()} -j ${target()}`, `-Z ${chain()}`, `-D ${chain()} 1`, `-N ${one(USER)}`, `:${one(USER)} - [0:0]`, `-X ${one(USER)}`, `-F ${chain()}`]));
    lines.push('COMMIT');
  }
  lines.push('');
  return lines.join('\n');
}

/** A program of the `loads` mix (see the module comment). */
function loadingProgram(set: ProgramSet, seed: number): string {
  const { table, family } = set;
  const pick = generator(seed);
  const one = <T>(list: readonly T[]): T => list[pick(list.length)] as T;
  const builtin = BUILTIN[table];
  const anyDirection = pick(4) === 0;
  const spec = (): string => one(['', '-p tcp --dport 22 ', family === 'ipv6' ? '-s 2001:db8::1 ' : '-s 192.0.2.1 ', '-p udp ']);
  const lines = [`*${table}`, ...USER.map((u) => `:${u} - [0:0]`)];
  const added: string[] = []; // the rules added so far, as written after the command
  const n = 3 + pick(8);
  for (let k = 0; k < n; k++) {
    const from = pick(3) === 0 ? one(builtin) : one(USER);
    const later = anyDirection ? USER : USER.filter((u) => builtin.includes(from) || u > from);
    const target = later.length > 0 && pick(2) === 0 ? `-${pick(4) === 0 ? 'g' : 'j'} ${one(later)}` : `-j ${one(['ACCEPT', 'RETURN'])}`;
    const kind = pick(10);
    if (kind < 2 && added.length > 0) {
      lines.push(`-D ${one(added)}`);
    } else if (kind === 2) {
      lines.push(`-F ${pick(3) === 0 ? one(builtin) : one(USER)}`);
    } else if (kind === 3) {
      const rule = `${from} ${spec()}${target}`;
      added.push(rule);
      lines.push(`-I ${rule}`);
    } else {
      const rule = `${from} ${spec()}${target}`;
      added.push(rule);
      lines.push(`-A ${rule}`);
    }
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** The distinct programs of a set. */
export function programsOf(set: ProgramSet): string[] {
  return [...new Set(Array.from({ length: set.count }, (_, i) => program(set, set.seed * 100003 + i)))];
}

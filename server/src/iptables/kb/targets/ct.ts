import type { ExtensionProblem, TargetSpec } from '../types.js';
import { listOf, octalNote } from '../values.js';
import { needsProtocol, parseWholeUnsigned, ruleProtocol } from './targetValues.js';

const CT_EVENTS = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark'];

const checkZone = (v: string): string | undefined => {
  if (v.toLowerCase() === 'mark') return undefined;
  return parseWholeUnsigned(v, 0, 65535) === undefined ? `invalid zone "${v}": expected a number 0-65535 or "mark"` : octalNote(v, 'zone');
};

export const ct: TargetSpec = {
  name: 'CT',
  terminating: false,
  doc: 'Sets up connection tracking for the packet before conntrack sees it: skip tracking (`--notrack`), attach a helper such as ftp, pick a zone, a timeout policy or which events are reported. Only valid in the raw table.',
  tables: ['raw'],
  options: {
    '--notrack': { args: [], doc: 'Do not track this packet (its state becomes UNTRACKED).' },
    '--helper': { args: [{ display: 'name' }], doc: 'Attach the conntrack helper with this name (ftp, tftp, sip ...); the kernel refuses names it has no helper for, for the rule\'s protocol.' },
    '--timeout': { args: [{ display: 'name' }], doc: 'Use the timeout policy with this name, created beforehand with `nfct timeout add`.' },
    '--ctevents': { args: [{ display: 'event[,event...]', values: CT_EVENTS, check: listOf(CT_EVENTS, 'conntrack event', true) }], doc: 'Only these conntrack events are reported for the connection (lower-case names).' },
    '--expevents': { args: [{ display: 'new', values: ['new'], check: listOf(['new'], 'expectation event', true) }], doc: 'Only these expectation events are reported; the only one is `new`.' },
    '--zone': { args: [{ display: 'id|mark', check: checkZone }], doc: 'Conntrack zone for both directions: a number 0-65535, or `mark` to take it from the packet mark.' },
    '--zone-orig': { args: [{ display: 'id|mark', check: checkZone }], doc: 'Zone for the original direction only.' },
    '--zone-reply': { args: [{ display: 'id|mark', check: checkZone }], doc: 'Zone for the reply direction only.' },
  },
  validate: (given) => [...helperProblems(given), ...zoneProblems(given)],
};

const ZONE_OPTIONS = ['--zone', '--zone-orig', '--zone-reply'];

/**
 * libxt_CT keeps one zone: each option sets its number (the last one wins) or `mark` (which stays
 * once set), and --zone-orig and --zone-reply add their direction (none or both means both ways).
 * Where what loads differs from what an option says, a warning with what iptables-save shows:
 * `--zone-orig 1 --zone-reply 2` is `--zone 2`, `--zone 1 --zone-orig 1` is `--zone-orig 1`.
 */
function zoneProblems(given: ReadonlyMap<string, readonly string[]>): ExtensionProblem[] {
  if (ZONE_OPTIONS.filter((o) => given.has(o)).length < 2) return [];
  // In the order of the line.
  const zones = (given.get('@order') ?? []).filter((o) => ZONE_OPTIONS.includes(o)).map((o) => ({ option: o, value: given.get(o)?.[0] ?? '' }));
  const read = (v: string): string => (v.toLowerCase() === 'mark' ? 'mark' : String(parseWholeUnsigned(v, 0, 65535)));
  let mark = false;
  let zone = '0';
  let orig = false;
  let reply = false;
  for (const z of zones) {
    if (read(z.value) === 'mark') mark = true;
    else zone = read(z.value);
    if (z.option === '--zone-orig') orig = true;
    if (z.option === '--zone-reply') reply = true;
  }
  const loaded = mark ? 'mark' : zone;
  const both = orig === reply;
  const says = (z: { option: string; value: string }): boolean =>
    read(z.value) === loaded && (z.option === '--zone' ? both : z.option === '--zone-orig' ? orig : reply);
  const last = zones[zones.length - 1];
  if (!last || zones.every(says)) return [];
  const saved = `${both ? '--zone' : orig ? '--zone-orig' : '--zone-reply'} ${loaded}`;
  return [{
    option: last.option, severity: 'warning',
    message: `CT keeps one zone and its directions: ${zones.map((z) => `${z.option} ${z.value}`).join(' ')} loads as ${saved}`,
  }];
}

/** The protocols of the kernel's conntrack helpers (each loaded here with its protocol and refused with another). */
const HELPER_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  ftp: ['tcp'], tftp: ['udp'], sip: ['udp', 'tcp'], irc: ['tcp'], amanda: ['udp'], pptp: ['tcp'],
  snmp: ['udp'], 'netbios-ns': ['udp'], sane: ['tcp'], RAS: ['udp'], 'Q.931': ['tcp'],
};

/**
 * `--helper`: the kernel looks the helper up by its name and the rule's protocol when the rule is
 * loaded, and refuses the rule when none is found: with no -p (or a negated one) there is no
 * protocol, and a helper of the kernel's has its own (ftp is TCP). A helper registered from user
 * space (nfct) may have any protocol, so only a protocol is asked for then.
 */
function helperProblems(given: ReadonlyMap<string, readonly string[]>): ExtensionProblem[] {
  const name = given.get('--helper')?.[0];
  if (name === undefined) return [];
  const reason = `for the conntrack helper ${name}: the kernel looks it up by name and the rule's protocol and refuses the rule when none fits`;
  const known = HELPER_PROTOCOLS[name];
  if (known) return needsProtocol(given, '--helper', known, reason);
  const p = ruleProtocol(given);
  if (p && !p.negated && p.name !== 'all' && parseWholeUnsigned(p.name, 0, 255) !== 0) return [];
  return [{ option: '--helper', message: `needs -p tcp|udp ${reason}` }];
}

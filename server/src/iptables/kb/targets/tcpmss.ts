import type { ExtensionProblem, TargetSpec, ValueCheck } from '../types.js';
import { octalNote } from '../values.js';
import { parseWholeUnsigned } from './targetValues.js';

/** The MSS must leave room for the IP and TCP headers: 65535 - 20 (IPv4) or - 40 (IPv6). */
const checkMss: ValueCheck = (v, family) => {
  const max = family === 'ipv4' ? 65515 : 65495;
  return parseWholeUnsigned(v, 0, max) === undefined ? `MSS must be an integer 0-${max}, got "${v}"` : octalNote(v, 'MSS'); // `01460` is 816
};

/**
 * Whether the rule matches TCP SYN packets only, as the legacy kernel module's check wants it: a
 * `tcp` match, not negated, whose `--syn` or compared `--tcp-flags` set holds SYN. The nf_tables
 * backend skips that check (the kernel module knows it is called through nft and returns early).
 */
function matchesSynOnly(given: ReadonlyMap<string, readonly string[]>): boolean {
  if (given.has('tcp:--syn') && !given.has('!tcp:--syn')) return true;
  const flags = given.get('tcp:--tcp-flags');
  if (!flags || given.has('!tcp:--tcp-flags')) return false;
  for (let i = 1; i < flags.length; i += 2) {
    const compared = (flags[i] as string).toUpperCase().split(',');
    if (compared.includes('SYN') || compared.includes('ALL')) return true;
  }
  return false;
}

export const tcpmss: TargetSpec = {
  name: 'TCPMSS',
  terminating: false,
  doc: 'Rewrites the MSS option of TCP SYN packets so connections avoid packets too big for the path: the classic fix for hangs behind tunnels or PPPoE when ICMP "fragmentation needed" is blocked. Needs -p tcp and should match SYNs only (`--tcp-flags SYN,RST SYN`; legacy iptables insists on it).',
  protocols: ['tcp'],
  options: {
    '--set-mss': { args: [{ display: 'bytes', check: checkMss }], doc: 'Lower the MSS to this value (it is never raised).' },
    '--clamp-mss-to-pmtu': {
      args: [],
      chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
      doc: 'Lower the MSS to the path MTU minus 40 (IPv4) or 60 (IPv6). The kernel allows this only in FORWARD, OUTPUT and POSTROUTING (and chains called only from there).',
    },
  },
  requireOneOf: [['--set-mss', '--clamp-mss-to-pmtu']],
  validate: (given) => {
    const p = given.get('-p');
    if (p?.length !== 1 || (p[0] !== 'tcp' && p[0] !== '6') || matchesSynOnly(given)) return NONE;
    return [{ severity: 'warning', message: 'needs -p tcp with a match of SYN packets only (--tcp-flags SYN,RST SYN) on a legacy-backend host, whose kernel refuses TCPMSS without it ("Only works on TCP SYN packets"); the nf_tables backend does not check this' }];
  },
};

const NONE: readonly ExtensionProblem[] = Object.freeze([]);

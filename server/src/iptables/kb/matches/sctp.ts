import type { MatchSpec, ValueCheck } from '../types.js';
import { checkPortRange, protocolSpellings } from '../values.js';

/** Chunk types and the flag letters each accepts (`DATA:IUBE`). */
export const SCTP_CHUNKS: Readonly<Record<string, string>> = {
  DATA: 'IUBE', INIT: '', INIT_ACK: '', SACK: '', HEARTBEAT: '', HEARTBEAT_ACK: '', ABORT: 'T', SHUTDOWN: '',
  SHUTDOWN_ACK: '', ERROR: '', COOKIE_ECHO: '', COOKIE_ACK: '', ECN_ECNE: '', ECN_CWR: '', SHUTDOWN_COMPLETE: 'T',
  I_DATA: 'IUBE', RE_CONFIG: '', PAD: '', ASCONF: '', ASCONF_ACK: '', FORWARD_TSN: '', I_FORWARD_TSN: '', ALL: '', NONE: '',
};
const MATCH_TYPES = ['all', 'any', 'only'];

const checkMatchType: ValueCheck = (v) => (MATCH_TYPES.includes(v.toLowerCase()) ? undefined : `invalid chunk match type "${v}": expected all, any or only`);

const checkChunks: ValueCheck = (v) => {
  for (const item of v.split(',')) {
    const [name = '', flags, extra] = item.split(':');
    const allowed = SCTP_CHUNKS[name.toUpperCase()];
    if (allowed === undefined || extra !== undefined) return `unknown SCTP chunk type "${item}": expected e.g. DATA, INIT, SACK, ABORT (optionally :flags)`;
    if (flags !== undefined) {
      for (const f of flags.toUpperCase()) {
        if (!allowed.includes(f)) return `invalid flags "${flags}" for chunk ${name.toUpperCase()}${allowed ? `: allowed are ${allowed.split('').join(', ')}` : ': it has none'}`;
      }
    }
  }
  return undefined;
};

export const sctp: MatchSpec = {
  name: 'sctp',
  doc: 'Matches SCTP header fields: ports and chunk types. Loaded implicitly by `-p sctp`.',
  protocols: protocolSpellings('sctp'),
  options: {
    '--sport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--source-port'], doc: 'Source port or inclusive range `first:last`.' },
    '--dport': { args: [{ display: 'port[:port]', check: checkPortRange }], negatable: true, aliases: ['--destination-port'], doc: 'Destination port or inclusive range `first:last`.' },
    '--chunk-types': { args: [{ display: 'all|any|only', check: checkMatchType, values: MATCH_TYPES }, { display: 'chunk[:flags][,chunk...]', check: checkChunks, values: Object.keys(SCTP_CHUNKS) }], negatable: true, doc: 'Chunk types present in the packet: `all` of them, `any` of them, or `only` these. Flags in upper case must be set, lower case clear (e.g. `DATA:Be`).' },
  },
};

/**
 * snippets/iptables.json: every snippet, expanded with its default values, must be a ruleset the
 * real iptables-restore loads (whole rulesets as they are, rule snippets wrapped in the table they
 * belong to with the chains they use declared) and that kvmnet lints without errors or warnings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { realToolAccepts, realToolsAvailable, type Family } from '../helpers/realTools.js';
import { findTarget } from '../../server/src/iptables/kb/index.js';
import { TABLES, isBuiltinChain } from '../../server/src/iptables/kb/tables.js';
import type { TableName } from '../../server/src/iptables/kb/types.js';
import { lintIptables } from '../../server/src/iptables/lint.js';
import { IPTABLES_RULES } from '../../server/src/iptables/rules/index.js';
import { expandWithDefaults, parseSnippet } from '../../server/src/core/snippet.js';

interface Snippet {
  readonly prefix: string | string[];
  readonly body: string | string[];
  readonly description: string;
}

const snippetsPath = join(__dirname, '..', '..', 'snippets', 'iptables.json');
const snippets = JSON.parse(readFileSync(snippetsPath, 'utf8')) as Record<string, Snippet>;

function bodyText(s: Snippet): string {
  return Array.isArray(s.body) ? s.body.join('\n') : s.body;
}

// ---------------------------------------------------------------------------------------------
// Wrapping rule snippets into something iptables-restore can load.

const NAT_TARGETS = new Set(['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'NETMAP']);
const MANGLE_TARGETS = new Set(['CHECKSUM']);

function argAfter(tokens: string[], ...options: string[]): string | undefined {
  const i = tokens.findIndex((t) => options.includes(t));
  return i >= 0 ? tokens[i + 1] : undefined;
}

/** The table a rule line of a snippet belongs to, told by its target and chain. */
function tableOfRule(tokens: string[]): TableName {
  const target = argAfter(tokens, '-j', '--jump');
  if (target && NAT_TARGETS.has(target)) return 'nat';
  if (target && MANGLE_TARGETS.has(target)) return 'mangle';
  const chain = argAfter(tokens, '-A', '--append', '-I', '--insert');
  if (chain === 'PREROUTING' || chain === 'POSTROUTING') return 'nat';
  return 'filter';
}

/**
 * A loadable ruleset for a snippet's expansion: whole rulesets (with `*table` lines) unchanged;
 * otherwise each rule goes to its table, whose built-in chains are declared with ACCEPT and whose
 * user chains (appended to or jumped to, and not declared by the snippet) are declared too.
 * Comment and blank lines go with the next rule.
 */
function wrapForRestore(expanded: string, family: Family): string {
  const lines = expanded.split('\n');
  if (lines.some((l) => l.startsWith('*'))) return expanded.endsWith('\n') ? expanded : `${expanded}\n`;
  const tables = new Map<TableName, { lines: string[]; chains: Set<string> }>();
  const tableEntry = (t: TableName) => {
    let e = tables.get(t);
    if (!e) tables.set(t, (e = { lines: [], chains: new Set() }));
    return e;
  };
  const declared = new Set(lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(/\s+/)[0] ?? ''));
  let pending: string[] = [];
  let last: TableName = 'filter';
  for (const line of lines) {
    if (line.trim() === '' || line.startsWith('#')) {
      pending.push(line);
      continue;
    }
    const tokens = line.trim().split(/\s+/);
    const table = line.startsWith(':') ? 'filter' : tableOfRule(tokens);
    const entry = tableEntry(table);
    const chain = argAfter(tokens, '-A', '--append', '-I', '--insert');
    const jump = argAfter(tokens, '-j', '--jump', '-g', '--goto');
    for (const name of [chain, jump]) {
      if (name && !isBuiltinChain(table, name) && !findTarget(name, family) && !declared.has(name)) entry.chains.add(name);
    }
    entry.lines.push(...pending, line);
    pending = [];
    last = table;
  }
  tableEntry(last).lines.push(...pending);
  const out: string[] = [];
  for (const [table, { lines: body, chains }] of tables) {
    out.push(`*${table}`);
    for (const builtin of TABLES[table]) out.push(`:${builtin} ACCEPT [0:0]`);
    for (const chain of chains) out.push(`:${chain} - [0:0]`);
    out.push(...body, 'COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/** Family of a snippet: those meant for ip6tables say so in their description. */
function familyOf(s: Snippet): Family {
  return /ip6tables/.test(s.description) ? 'ipv6' : 'ipv4';
}

/** The rule ids of DESIGN.md §4 (stable), for the suppression snippet's choices. */
const CATALOGUE_IDS = [
  'syntax', 'unknown-option', 'unknown-module', 'bad-value', 'missing-argument', 'option-needs-protocol',
  'undefined-chain', 'duplicate-chain', 'chain-not-in-table', 'bad-policy', 'target-not-allowed',
  'interface-not-allowed', 'chain-loop', 'unreachable-rule', 'redundant-rule', 'missing-established',
  'noncanonical-cidr', 'subnet-mismatch', 'ssh-lockout', 'ip-forward-disabled', 'unused-chain',
  'unknown-extension', 'family-mismatch',
];

// ---------------------------------------------------------------------------------------------

describe('snippet expansion (core/snippet.ts: what a client without snippet support gets, and what these tests load)', () => {
  const cases: [source: string, expected: string][] = [
    ['a ${1:x} b', 'a x b'],
    ['${1|ACCEPT,DROP|}', 'ACCEPT'],
    ['x$0y', 'xy'],
    ['$1 ${1:net} $1', 'net net net'],
    ['${2:${1:INPUT} drop} $1', 'INPUT drop INPUT'],
    ['${1:a\\}b} \\$1 c\\\\d', 'a}b $1 c\\d'],
    ['${1|a\\,b,c|}', 'a,b'],
    ['$TM_FILENAME ${TM_SELECTED_TEXT:sel}', ' sel'],
    ['cost $ 5', 'cost $ 5'],
    ['$3', ''],
  ];
  for (const [source, expected] of cases) {
    it(JSON.stringify(source), () => assert.equal(expandWithDefaults(source), expected));
  }
  it('refuses an unterminated placeholder', () => {
    assert.throws(() => parseSnippet('${1:abc'));
  });
});

describe('iptables snippets', () => {
  const entries = Object.entries(snippets);

  it('are well formed: prefix, body and description, prefixes unique', () => {
    const seen = new Map<string, string>();
    assert.ok(entries.length >= 12);
    for (const [name, s] of entries) {
      assert.ok(typeof s.description === 'string' && s.description.length > 10, `${name}: description`);
      const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
      assert.ok(prefixes.length > 0, `${name}: prefix`);
      for (const p of prefixes) {
        assert.match(p, /^[a-z][a-z0-9-]*$/, `${name}: prefix ${p} is one editor word`);
        assert.ok(!seen.has(p), `prefix ${p} used by ${seen.get(p)} and ${name}`);
        seen.set(p, name);
      }
      assert.doesNotThrow(() => parseSnippet(bodyText(s)), name);
      assert.doesNotMatch(bodyText(s), /\t/, `${name}: no tab characters`);
    }
  });

  const expanded = (name: string): string => {
    const s = snippets[name];
    assert.ok(s, `snippet "${name}" exists`);
    return expandWithDefaults(bodyText(s));
  };

  it('libvirt NAT: multicast and broadcast RETURN, then MASQUERADE tcp/udp onto 1024-65535 and all, each with ! -d', () => {
    assert.equal(
      expanded('libvirt NAT for a network').trimEnd(),
      [
        '-A POSTROUTING -s 192.168.122.0/24 -d 224.0.0.0/24 -j RETURN',
        '-A POSTROUTING -s 192.168.122.0/24 -d 255.255.255.255/32 -j RETURN',
        '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535',
        '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p udp -j MASQUERADE --to-ports 1024-65535',
        '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE',
      ].join('\n'),
    );
  });

  it('DNAT port forward: PREROUTING DNAT to 192.168.122.10:80, and the matching FORWARD accept as a comment to move into filter', (t) => {
    const text = expanded('DNAT port forward to a guest');
    assert.match(text, /^-A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192\.168\.122\.10:80$/m);
    // Inserted in one place, an active FORWARD rule would sit in nat, which has no FORWARD chain.
    const forward = /^# (-A FORWARD -d 192\.168\.122\.10\/32 -i eth0 -o virbr0 -p tcp -m tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT)$/m.exec(text)?.[1];
    assert.ok(forward, text);
    // Moved as the comment says, both rules load.
    const moved = `*nat\n:PREROUTING ACCEPT [0:0]\n${text.split('\n').filter((l) => l.startsWith('-A PREROUTING')).join('\n')}\nCOMMIT\n*filter\n:FORWARD ACCEPT [0:0]\n${forward}\nCOMMIT\n`;
    assert.deepEqual(lintIptables(moved).findings.filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
    if (!realToolsAvailable()) {
      t.skip('real iptables tools not available');
      return;
    }
    const verdict = realToolAccepts(moved);
    assert.ok(verdict.accepted, verdict.message);
  });

  it('stateful INPUT: replies first, then lo, SSH, and a final REJECT', () => {
    const rules = expanded('stateful INPUT').split('\n').filter((l) => l.startsWith('-A'));
    assert.match(rules[0] ?? '', /--ctstate RELATED,ESTABLISHED -j ACCEPT$/);
    assert.match(rules[1] ?? '', /-i lo -j ACCEPT$/);
    assert.match(rules[2] ?? '', /--dport 22 .*-j ACCEPT$/);
    assert.match(rules.at(-1) ?? '', /^-A INPUT -j REJECT/);
  });

  it('KVM NAT host ruleset: filter, nat and mangle of the reference scenario, each committed', () => {
    const text = expanded('KVM NAT host ruleset');
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('*')), ['*filter', '*nat', '*mangle']);
    assert.equal(text.split('\n').filter((l) => l === 'COMMIT').length, 3);
    for (const needle of [
      '-A INPUT -i virbr0 -p udp -m udp --dport 53 -j ACCEPT',
      '-A INPUT -i virbr0 -p udp -m udp --dport 67 -j ACCEPT',
      '-A FORWARD -d 192.168.122.0/24 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A FORWARD -s 192.168.122.0/24 -i virbr0 -j ACCEPT',
      '-A FORWARD -i virbr0 -o virbr0 -j ACCEPT',
      '-A FORWARD -o virbr0 -j REJECT --reject-with icmp-port-unreachable',
      '-A FORWARD -i virbr0 -j REJECT --reject-with icmp-port-unreachable',
      '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE',
      '-A POSTROUTING -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill',
    ]) {
      assert.ok(text.split('\n').includes(needle), needle);
    }
  });

  it('include table skeletons, a chain declaration, LOG-and-drop, ICMP echo limit and a port range accept', () => {
    assert.match(expanded('filter table'), /^\*filter\n:INPUT ACCEPT \[0:0\]\n:FORWARD ACCEPT \[0:0\]\n:OUTPUT ACCEPT \[0:0\]\n\nCOMMIT$/);
    for (const t of ['nat', 'mangle', 'raw'] as const) {
      const text = expanded(`${t} table`);
      assert.deepEqual(text.split('\n').filter((l) => l.startsWith(':')).map((l) => l.split(' ')[0]), TABLES[t].map((c) => `:${c}`));
    }
    assert.equal(expanded('chain declaration'), ':MY_CHAIN - [0:0]');
    assert.match(expanded('LOG then DROP'), /-j LOG --log-prefix "INPUT drop: " --log-level warning\n-A INPUT -m conntrack --ctstate INVALID -j DROP/);
    assert.match(expanded('rate-limited ICMP echo'), /--icmp-type echo-request -m limit --limit 1\/sec --limit-burst 5 -j ACCEPT/);
    assert.match(expanded('accept a port range'), /-p tcp -m tcp --dport 5900:5999 /);
  });

  it('offer only catalogue rule ids in the suppression snippet', () => {
    const body = bodyText(snippets['suppress a kvmnet finding'] as Snippet);
    const choices = /\$\{1\|([^|]*)\|\}/.exec(body)?.[1]?.split(',') ?? [];
    assert.ok(choices.length > 0);
    const known = new Set([...CATALOGUE_IDS, ...IPTABLES_RULES.map((r) => r.id)]);
    for (const id of choices) assert.ok(known.has(id), id);
  });

  describe('expanded with defaults, the real tools load them', { skip: !realToolsAvailable() && 'real iptables tools not available' }, () => {
    for (const [name, s] of entries) {
      it(name, () => {
        const text = wrapForRestore(expandWithDefaults(bodyText(s)), familyOf(s));
        const verdict = realToolAccepts(text, familyOf(s));
        assert.ok(verdict.accepted, `${verdict.message}\n--- ruleset ---\n${text}`);
      });
    }
  });

  describe('expanded with defaults, kvmnet lints them without errors or warnings', () => {
    for (const [name, s] of entries) {
      it(name, () => {
        const text = wrapForRestore(expandWithDefaults(bodyText(s)), familyOf(s));
        const { findings } = lintIptables(text, { family: familyOf(s) });
        const serious = findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
        const where = (offset: number) => text.slice(0, offset).split('\n').length;
        assert.deepEqual(
          serious.map((f) => `line ${where(f.span.start)}: ${f.severity} ${f.ruleId}: ${f.message}`),
          [],
          `--- ruleset ---\n${text}`,
        );
      });
    }
  });
});

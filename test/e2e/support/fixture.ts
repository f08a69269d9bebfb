/**
 * Facts about the shared fixture (fixtures/workspace/rules.v4) that both editor tests check:
 * where its one mistake is, where the MASQUERADE rule is, and how to fix the mistake.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { FIXTURE_RULESET } from './paths.js';

export const RULESET = fs.readFileSync(FIXTURE_RULESET, 'utf8');
const LINES = RULESET.split('\n');

/** The rule with the mistake: LIBVIRT_FWI is never declared (undefined-chain). */
export const MISTAKE_LINE = '-A FORWARD -i virbr0 -j LIBVIRT_FWI';
export const MISTAKE_TOKEN = 'LIBVIRT_FWI';
/** libvirt's MASQUERADE rule in nat POSTROUTING; the hover target. */
export const NAT_LINE = '-A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE';
/** A rule typed after NAT_LINE up to its target, to ask for completion. */
export const TYPED_LINE = '-A POSTROUTING -o virbr0 -j ';
/** The declaration that fixes the mistake, and the 0-based line it goes on (before the filter table's first rule). */
export const FIX_DECLARATION = ':LIBVIRT_FWI - [0:0]';

/** 0-based index of `line` in the fixture. */
export function lineIndex(line: string): number {
  const index = LINES.indexOf(line);
  assert.ok(index >= 0, `fixture has no line "${line}"`);
  return index;
}

/** 0-based line and UTF-16 column of `token` in `line` (LSP positions). */
export function positionOf(line: string, token: string): { line: number; character: number } {
  const character = line.indexOf(token);
  assert.ok(character >= 0, `"${token}" is not in "${line}"`);
  return { line: lineIndex(line), character };
}

export const FIX_LINE = lineIndex('-A INPUT -i virbr0 -p tcp --dport 53 -j ACCEPT');

/** The fixture with the fix applied. */
export function fixedRuleset(): string {
  const lines = [...LINES];
  lines.splice(FIX_LINE, 0, FIX_DECLARATION);
  return lines.join('\n');
}

/**
 * `.kvmnet.json` (server/src/workspace/config.ts): what a config file sets, what is wrong in one
 * and where, how it combines with the editor's settings, and where it is looked for.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/core/settings.js';
import { combineSettings, configCandidates, ConfigLookup, formatConfigProblem, parseConfig } from '../../server/src/workspace/config.js';

describe('.kvmnet.json: valid files', () => {
  const valid: Array<[string, string, object]> = [
    ['rules and family', '{ "rules": { "unused-chain": "off", "noncanonical-cidr": "error" }, "iptables": { "family": "ipv6" } }',
      { rules: { 'unused-chain': 'off', 'noncanonical-cidr': 'error' }, family: 'ipv6' }],
    ['comments, trailing commas and $schema, as in settings.json', '// ours\n{\n  "$schema": "./schema.json",\n  /* quiet */ "rules": { "unused-chain": "hint", },\n}\n',
      { rules: { 'unused-chain': 'hint' }, family: 'auto' }],
    ['an empty object', '{}', DEFAULT_SETTINGS],
    ['an empty file (just created)', '', DEFAULT_SETTINGS],
    ['only comments', '// nothing set yet\n', DEFAULT_SETTINGS],
    ['family auto', '{ "iptables": { "family": "auto" } }', DEFAULT_SETTINGS],
  ];
  for (const [name, text, settings] of valid) {
    test(name, () => {
      const config = parseConfig(text);
      assert.deepEqual(config.problems, []);
      assert.deepEqual(config.settings, settings);
    });
  }
});

describe('.kvmnet.json: invalid files say what is wrong, where, and keep the rest', () => {
  const invalid: Array<[string, string, string[], object]> = [
    ['a typo in a rule id, with the id meant', '{\n  "rules": {\n    "unused_chain": "off",\n    "noncanonical-cidr": "off"\n  }\n}',
      ['3:5: unknown rule id "unused_chain"; did you mean "unused-chain"? (the README lists the rules)'],
      { rules: { 'noncanonical-cidr': 'off' }, family: 'auto' }],
    ['a rule id far from any', '{ "rules": { "no-such-thing": "off" } }', ['1:14: unknown rule id "no-such-thing" (the README lists the rules)'], DEFAULT_SETTINGS],
    ['a severity that is none', '{ "rules": { "unused-chain": "warn", "syntax": false } }',
      ['1:30: the severity of "unused-chain" is one of off, hint, info, warning, error, not "warn"', '1:48: the severity of "syntax" is one of off, hint, info, warning, error, not false'],
      DEFAULT_SETTINGS],
    ['a family that is none', '{ "iptables": { "family": "inet" }, "rules": { "unused-chain": "off" } }',
      ['1:27: "iptables.family" is one of auto, ipv4, ipv6, not "inet"'], { rules: { 'unused-chain': 'off' }, family: 'auto' }],
    ['settings written with their kvmnet. prefix', '{ "kvmnet.rules": { "unused-chain": "off" } }', ['1:3: unknown key "kvmnet.rules": a config file sets "rules" and "iptables"'], DEFAULT_SETTINGS],
    ['a key of the iptables section that is none', '{ "iptables": { "famliy": "ipv6" } }', ['1:17: unknown key "iptables.famliy": the iptables section sets "family"'], DEFAULT_SETTINGS],
    ['rules as an array', '{ "rules": ["unused-chain"] }', ['1:12: "rules" maps rule ids to a severity (off, hint, info, warning, error), not an array'], DEFAULT_SETTINGS],
    ['iptables as a string', '{ "iptables": "ipv6" }', ['1:15: "iptables" is an object such as { "family": "ipv6" }, not "ipv6"'], DEFAULT_SETTINGS],
    ['not an object', '["unused-chain"]', ['1:1: a config file holds one JSON object, not an array'], DEFAULT_SETTINGS],
    ['broken JSON: a missing value', '{ "rules": ', ['1:12: not valid JSON: value expected', '1:12: not valid JSON: close brace expected'], DEFAULT_SETTINGS],
    ['broken JSON: a missing comma keeps what parsed', '{ "rules": { "unused-chain": "off" "syntax": "off" } }',
      ['1:36: not valid JSON: comma expected'], { rules: { 'unused-chain': 'off', syntax: 'off' }, family: 'auto' }],
    ['binary bytes', '\u0000\u0001\u0002', ['1:1: not valid JSON: invalid symbol', '1:4: not valid JSON: value expected'], DEFAULT_SETTINGS],
  ];
  for (const [name, text, expected, settings] of invalid) {
    test(name, () => {
      const config = parseConfig(text);
      assert.deepEqual(config.problems.map((p) => formatConfigProblem(text, p)), expected);
      assert.deepEqual(config.settings, settings);
    });
  }
});

test('the README\'s example config reads without a problem', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /```jsonc\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'the README has a jsonc block');
  const config = parseConfig(block);
  assert.deepEqual(config.problems, []);
  assert.deepEqual(config.settings, { rules: { 'unused-chain': 'off', 'noncanonical-cidr': 'error' }, family: 'ipv4' });
});

describe('.kvmnet.json with the editor settings', () => {
  const project = parseConfig('{ "rules": { "unused-chain": "off", "noncanonical-cidr": "error" }, "iptables": { "family": "ipv6" } }').settings;

  test('a rule the editor sets wins; the others keep the file\'s', () => {
    assert.deepEqual(combineSettings(project, { rules: { 'unused-chain': 'info' }, family: 'auto' }),
      { rules: { 'unused-chain': 'info', 'noncanonical-cidr': 'error' }, family: 'ipv6' });
  });

  test('the editor\'s family wins unless it is auto', () => {
    assert.equal(combineSettings(project, { rules: {}, family: 'ipv4' }).family, 'ipv4');
    assert.equal(combineSettings(project, DEFAULT_SETTINGS).family, 'ipv6');
  });
});

describe('where a config is looked for', () => {
  test('the file\'s folder first, then each folder above, to the root', () => {
    assert.deepEqual(configCandidates('/etc/iptables'), ['/etc/iptables/.kvmnet.json', '/etc/.kvmnet.json', '/.kvmnet.json']);
    assert.deepEqual(configCandidates('/'), ['/.kvmnet.json']);
    assert.deepEqual(configCandidates('C:\\hosts\\kvm1'), ['C:\\hosts\\kvm1\\.kvmnet.json', 'C:\\hosts\\.kvmnet.json', 'C:\\.kvmnet.json']);
  });

  test('the nearest one wins; each file is read once until forget', () => {
    const files = new Map([['/srv/.kvmnet.json', '{ "rules": { "unused-chain": "off" } }'], ['/srv/hosts/kvm1/.kvmnet.json', '{ "rules": { "syntax": "warning" } }']]);
    const reads: string[] = [];
    const lookup = new ConfigLookup((path) => {
      reads.push(path);
      return files.get(path);
    });
    assert.equal(lookup.find('/srv/hosts/kvm1')?.path, '/srv/hosts/kvm1/.kvmnet.json');
    assert.deepEqual(lookup.find('/srv/hosts/kvm2')?.config.settings.rules, { 'unused-chain': 'off' });
    assert.equal(lookup.find('/etc/iptables'), undefined);
    assert.equal(lookup.find('/srv/hosts/kvm2')?.path, '/srv/.kvmnet.json');
    assert.equal(reads.filter((p) => p === '/srv/.kvmnet.json').length, 1, reads.join(' '));
    files.delete('/srv/hosts/kvm1/.kvmnet.json');
    assert.equal(lookup.find('/srv/hosts/kvm1')?.path, '/srv/hosts/kvm1/.kvmnet.json', 'cached until forget');
    lookup.forget();
    assert.equal(lookup.find('/srv/hosts/kvm1')?.path, '/srv/.kvmnet.json');
  });
});

import type { Finding, Severity, SeveritySetting } from './finding.js';

/** The settings the core understands (the `kvmnet.*` section, already narrowed). */
export interface LintSettings {
  /** Per-rule severity override: `kvmnet.rules`. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** `kvmnet.iptables.family`. */
  readonly family: 'auto' | 'ipv4' | 'ipv6';
}

export const DEFAULT_SETTINGS: LintSettings = { rules: {}, family: 'auto' };

const SEVERITY_SETTINGS: readonly string[] = ['off', 'hint', 'info', 'warning', 'error'];

/** Narrows an untrusted settings object (from the client or a config file) to `LintSettings`. */
export function parseSettings(raw: unknown): LintSettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_SETTINGS;
  const obj = raw as Record<string, unknown>;
  const rules: Record<string, SeveritySetting> = {};
  const rawRules = obj['rules'];
  if (typeof rawRules === 'object' && rawRules !== null) {
    for (const [id, value] of Object.entries(rawRules as Record<string, unknown>)) {
      if (typeof value === 'string' && SEVERITY_SETTINGS.includes(value)) rules[id] = value as SeveritySetting;
    }
  }
  return { rules, family: givenFamily(obj) ?? 'auto' };
}

/** The family a settings object sets (`iptables.family`, or `family` at the top), when it sets a valid one. */
function givenFamily(obj: Record<string, unknown>): LintSettings['family'] | undefined {
  const family = obj['iptables'] && typeof obj['iptables'] === 'object' ? (obj['iptables'] as Record<string, unknown>)['family'] : obj['family'];
  return family === 'auto' || family === 'ipv4' || family === 'ipv6' ? family : undefined;
}

/**
 * Settings given later (pulled from the client or pushed by it) over earlier ones (those the client
 * passed at initialize): only what `raw` sets replaces; a rule's severity is replaced rule by rule.
 * Not an object (null: nothing configured): `base` unchanged.
 */
export function overlaySettings(base: LintSettings, raw: unknown): LintSettings {
  if (typeof raw !== 'object' || raw === null) return base;
  return {
    rules: { ...base.rules, ...parseSettings(raw).rules },
    family: givenFamily(raw as Record<string, unknown>) ?? base.family,
  };
}

/** Applies per-rule overrides: drops findings of rules set to `off`, re-levels the others. */
export function applySeverityOverrides(findings: readonly Finding[], settings: LintSettings): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const override = settings.rules[f.ruleId];
    if (override === 'off') continue;
    out.push(override ? { ...f, severity: override as Severity } : f);
  }
  return out;
}

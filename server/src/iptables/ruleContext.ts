import type { Rule, RuleContextBase } from '../core/rule.js';
import type { Analysis } from './analysis.js';
import type { Family } from './kb/types.js';
import type { IptablesDocument } from './model.js';

/** What an iptables check sees: the parsed document and its analysis. Checks are pure. */
export interface IptablesRuleContext extends RuleContextBase {
  readonly doc: IptablesDocument;
  readonly analysis: Analysis;
  readonly family: Family;
}

export type IptablesRule = Rule<IptablesRuleContext>;

import type { Rule, RuleContextBase } from '../core/rule.js';
import type { Analysis } from './analysis.js';
import type { Family } from './kb/types.js';
import type { IptablesDocument } from './model.js';

/**
 * What an iptables check sees: the parsed document and its analysis. Checks are pure.
 *
 * Checks walk every rule, option and value of a document, so their loops over the model's lists
 * are indexed: those lists mix shared frozen empty arrays with ordinary ones, and `for...of` over
 * both kinds keeps V8 from optimising the iterator away (it allocated a result object per step,
 * about 0.9 GB on a 100,000-rule ruleset). The parser, resolver and analysis do the same.
 */
export interface IptablesRuleContext extends RuleContextBase {
  readonly doc: IptablesDocument;
  readonly analysis: Analysis;
  readonly family: Family;
}

export type IptablesRule = Rule<IptablesRuleContext>;

/** The registry of iptables checks: every rule file is listed here, once. */
import type { IptablesRule } from '../ruleContext.js';
import { badPolicy } from './bad-policy.js';
import { badValue } from './bad-value.js';
import { chainLoop } from './chain-loop.js';
import { chainNotInTable } from './chain-not-in-table.js';
import { duplicateChain } from './duplicate-chain.js';
import { familyMismatch } from './family-mismatch.js';
import { interfaceNotAllowed } from './interface-not-allowed.js';
import { missingArgument } from './missing-argument.js';
import { noncanonicalCidr } from './noncanonical-cidr.js';
import { optionNeedsProtocol } from './option-needs-protocol.js';
import { syntax } from './syntax.js';
import { targetNotAllowed } from './target-not-allowed.js';
import { undefinedChain } from './undefined-chain.js';
import { unknownExtension } from './unknown-extension.js';
import { unknownModule } from './unknown-module.js';
import { unknownOption } from './unknown-option.js';
import { unusedChain } from './unused-chain.js';

export const IPTABLES_RULES: readonly IptablesRule[] = [
  syntax,
  unknownOption,
  unknownModule,
  badValue,
  missingArgument,
  optionNeedsProtocol,
  undefinedChain,
  duplicateChain,
  chainNotInTable,
  badPolicy,
  targetNotAllowed,
  interfaceNotAllowed,
  chainLoop,
  familyMismatch,
  noncanonicalCidr,
  unusedChain,
  unknownExtension,
];

import type { TargetSpec } from '../types.js';
import { standardTargets } from './standard.js';

/** Every target extension of iptables 1.8.9 (IPv4 and IPv6), plus the standard verdicts. */
export const TARGET_SPECS: readonly TargetSpec[] = [...standardTargets];

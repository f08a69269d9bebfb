import type { MatchSpec } from '../types.js';
import { tcp } from './tcp.js';
import { comment } from './comment.js';

/** Every match extension of iptables 1.8.9 (IPv4 and IPv6). */
export const MATCH_SPECS: readonly MatchSpec[] = [tcp, comment];

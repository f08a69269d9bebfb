import type { TargetSpec } from '../types.js';
import { standardTargets } from './standard.js';
import { audit } from './audit.js';
import { checksum } from './checksum.js';
import { classify } from './classify.js';
import { clusterip } from './clusterip.js';
import { connmark } from './connmark.js';
import { connsecmark } from './connsecmark.js';
import { ct } from './ct.js';
import { dnat } from './dnat.js';
import { dnpt } from './dnpt.js';
import { dscp } from './dscp.js';
import { ecn } from './ecn.js';
import { hl } from './hl.js';
import { hmark } from './hmark.js';
import { idletimer } from './idletimer.js';
import { led } from './led.js';
import { log } from './log.js';
import { mark } from './mark.js';
import { masquerade } from './masquerade.js';
import { netmap } from './netmap.js';
import { nflog } from './nflog.js';
import { nfqueue } from './nfqueue.js';
import { notrack } from './notrack.js';
import { rateest } from './rateest.js';
import { redirect } from './redirect.js';
import { rejectIPv4, rejectIPv6 } from './reject.js';
import { secmark } from './secmark.js';
import { set } from './set.js';
import { snat } from './snat.js';
import { snpt } from './snpt.js';
import { synproxy } from './synproxy.js';
import { tcpmss } from './tcpmss.js';
import { tcpoptstrip } from './tcpoptstrip.js';
import { tee } from './tee.js';
import { tos } from './tos.js';
import { tproxy } from './tproxy.js';
import { trace } from './trace.js';
import { ttl } from './ttl.js';
import { ulog } from './ulog.js';

/**
 * Every target extension of iptables 1.8.9 (IPv4 and IPv6), plus the standard verdicts.
 * REJECT has one spec per family (their `--reject-with` types differ); CLUSTERIP, ECN, TTL and
 * ULOG exist only for IPv4, DNPT, SNPT and HL only for IPv6.
 */
export const TARGET_SPECS: readonly TargetSpec[] = [
  ...standardTargets,
  audit, checksum, classify, clusterip, connmark, connsecmark, ct, dnat, dnpt, dscp, ecn, hl, hmark, idletimer, led,
  log, mark, masquerade, netmap, nflog, nfqueue, notrack, rateest, redirect, rejectIPv4, rejectIPv6, secmark, set, snat,
  snpt, synproxy, tcpmss, tcpoptstrip, tee, tos, tproxy, trace, ttl, ulog,
];

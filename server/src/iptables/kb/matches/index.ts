import type { MatchSpec } from '../types.js';
import { addrtype } from './addrtype.js';
import { ah, ah6 } from './ah.js';
import { bpf } from './bpf.js';
import { cgroup } from './cgroup.js';
import { cluster } from './cluster.js';
import { comment } from './comment.js';
import { connbytes } from './connbytes.js';
import { connlabel } from './connlabel.js';
import { connlimit } from './connlimit.js';
import { connmark } from './connmark.js';
import { conntrack } from './conntrack.js';
import { cpu } from './cpu.js';
import { dccp } from './dccp.js';
import { devgroup } from './devgroup.js';
import { dscp } from './dscp.js';
import { dst } from './dst.js';
import { ecn } from './ecn.js';
import { esp } from './esp.js';
import { eui64 } from './eui64.js';
import { frag } from './frag.js';
import { hashlimit } from './hashlimit.js';
import { hbh } from './hbh.js';
import { helper } from './helper.js';
import { hl } from './hl.js';
import { icmp } from './icmp.js';
import { icmp6 } from './icmp6.js';
import { ipcomp } from './ipcomp.js';
import { iprange } from './iprange.js';
import { ipv6header } from './ipv6header.js';
import { ipvs } from './ipvs.js';
import { length } from './length.js';
import { limit } from './limit.js';
import { mac } from './mac.js';
import { mark } from './mark.js';
import { mh } from './mh.js';
import { multiport } from './multiport.js';
import { nfacct } from './nfacct.js';
import { osf } from './osf.js';
import { owner } from './owner.js';
import { physdev } from './physdev.js';
import { pkttype } from './pkttype.js';
import { policy } from './policy.js';
import { quota } from './quota.js';
import { rateest } from './rateest.js';
import { realm } from './realm.js';
import { recent } from './recent.js';
import { rpfilter } from './rpfilter.js';
import { rt } from './rt.js';
import { sctp } from './sctp.js';
import { set } from './set.js';
import { socket } from './socket.js';
import { srh } from './srh.js';
import { state } from './state.js';
import { statistic } from './statistic.js';
import { string } from './string.js';
import { tcp } from './tcp.js';
import { tcpmss } from './tcpmss.js';
import { time } from './time.js';
import { tos } from './tos.js';
import { ttl } from './ttl.js';
import { u32 } from './u32.js';
import { udp } from './udp.js';

/** Every match extension of iptables 1.8.9 (IPv4 and IPv6). Family-specific twins share a name (`ah`). */
export const MATCH_SPECS: readonly MatchSpec[] = [
  addrtype,
  ah,
  ah6,
  bpf,
  cgroup,
  cluster,
  comment,
  connbytes,
  connlabel,
  connlimit,
  connmark,
  conntrack,
  cpu,
  dccp,
  devgroup,
  dscp,
  dst,
  ecn,
  esp,
  eui64,
  frag,
  hashlimit,
  hbh,
  helper,
  hl,
  icmp,
  icmp6,
  ipcomp,
  iprange,
  ipv6header,
  ipvs,
  length,
  limit,
  mac,
  mark,
  mh,
  multiport,
  nfacct,
  osf,
  owner,
  physdev,
  pkttype,
  policy,
  quota,
  rateest,
  realm,
  recent,
  rpfilter,
  rt,
  sctp,
  set,
  socket,
  srh,
  state,
  statistic,
  string,
  tcp,
  tcpmss,
  time,
  tos,
  ttl,
  u32,
  udp,
];

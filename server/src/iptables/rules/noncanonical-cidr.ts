import { canonicalCidr } from '../../net/cidr.js';
import type { IptablesRule } from '../ruleContext.js';

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** `a.b.c.d/32` written the way iptables prints it (so `canonicalCidr` gives it back unchanged). */
const HOST_32 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/32$`);

export const noncanonicalCidr: IptablesRule = {
  id: 'noncanonical-cidr',
  severity: 'warning',
  docs: {
    summary: 'A network written with host bits set, such as `192.168.122.1/24`: iptables silently masks them to `192.168.122.0/24`.',
    rationale: 'The rule then covers the whole network although it looks like it names one host; usually either the prefix or the address is a mistake.',
  },
  messages: {
    cidr: '{value} has host bits set: iptables reads it as {canonical}{hint}',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      for (const r of t.rules) {
        for (const g of r.resolved.generic) {
          if (g.key !== '-s' && g.key !== '-d') continue;
          const w = g.values[0];
          if (!w) continue;
          let offset = 0;
          for (const item of w.text.split(',')) {
            // A plain IPv4 host /32 is its own network: skip the address parsing (most of a kube-proxy ruleset).
            if (ctx.family === 'ipv4' && HOST_32.test(item)) {
              offset += item.length + 1;
              continue;
            }
            const canonical = canonicalCidr(item, ctx.family);
            if (canonical && canonical !== item) {
              const start = w.span.start + (w.quoted ? 1 : 0) + offset;
              const host = item.slice(0, item.indexOf('/'));
              ctx.report({
                span: { start, end: start + item.length },
                messageId: 'cidr',
                data: { value: item, canonical, hint: `; write ${canonical} for the network or ${host} for the host` },
                fixes: [
                  { title: `Change to the network ${canonical}`, edits: [{ span: { start, end: start + item.length }, newText: canonical }], preferred: true },
                  { title: `Change to the single host ${host}`, edits: [{ span: { start, end: start + item.length }, newText: host }] },
                ],
              });
            }
            offset += item.length + 1;
          }
        }
      }
    }
  },
};

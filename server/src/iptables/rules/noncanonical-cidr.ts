import { canonicalCidr } from '../../net/cidr.js';
import type { Word } from '../model.js';
import type { IptablesRule, IptablesRuleContext } from '../ruleContext.js';

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
        // -s/-d (comma lists allowed) and extension options that take one `address[/mask]`
        // (conntrack --ctorigsrc ..., policy --tunnel-src, ipvs --vaddr): the kernel compares under the mask.
        for (const g of r.resolved.generic) {
          if ((g.key === '-s' || g.key === '-d') && g.values[0]) checkWord(ctx, g.values[0], true);
        }
        for (const use of r.resolved.extensions) {
          for (const o of use.options) {
            o.values.forEach((w, i) => {
              if (o.spec.args[i]?.display === 'address[/mask]') checkWord(ctx, w, false);
            });
          }
        }
      }
    }
  },
};

function checkWord(ctx: IptablesRuleContext, w: Word, list: boolean): void {
  let offset = 0;
  for (const item of list ? w.text.split(',') : [w.text]) {
    // A plain IPv4 host /32 is its own network: skip the address parsing (most of a kube-proxy ruleset).
    const canonical = ctx.family === 'ipv4' && HOST_32.test(item) ? item : canonicalCidr(item, ctx.family);
    if (canonical && canonical !== item) {
      const start = w.span.start + (w.quoted ? 1 : 0) + offset;
      const span = { start, end: start + item.length };
      const host = item.slice(0, item.indexOf('/'));
      ctx.report({
        span,
        messageId: 'cidr',
        data: { value: item, canonical, hint: `; write ${canonical} for the network or ${host} for the host` },
        fixes: [
          { title: `Change to the network ${canonical}`, edits: [{ span, newText: canonical }], preferred: true },
          { title: `Change to the single host ${host}`, edits: [{ span, newText: host }] },
        ],
      });
    }
    offset += item.length + 1;
  }
}

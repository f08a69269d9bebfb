import { jumpGraph, type AnalyzedRule, type ChainInfo, type TableAnalysis } from '../analysis.js';
import type { IptablesRule } from '../ruleContext.js';

export const chainLoop: IptablesRule = {
  id: 'chain-loop',
  severity: 'error',
  docs: {
    summary: 'Jumps between user chains that form a cycle (A jumps to B, B jumps back to A, or A to itself).',
    rationale: 'The kernel refuses a ruleset in which a packet could loop forever ("Too many links") once the loop is reachable from a built-in chain; an unreachable loop loads but is dead code waiting to break the next change.',
  },
  messages: {
    loop: 'jump loop: {cycle}',
    unreachableLoop: 'jump loop: {cycle} (not reached from a built-in chain yet; the kernel refuses it once it is)',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      for (const cycle of findCycles(t)) {
        const last = cycle[cycle.length - 1] as AnalyzedRule;
        const names = cycle.map((r) => r.chain ?? '?');
        const text = [...names, names[0]].join(' → ');
        const reachable = names.some((n) => (t.hooks.get(n)?.size ?? 0) > 0);
        const word = last.resolved.target?.word;
        if (!word) continue;
        ctx.report({
          span: word.span,
          messageId: reachable ? 'loop' : 'unreachableLoop',
          data: { cycle: text },
          ...(reachable ? {} : { severity: 'warning' as const }),
          related: cycle.slice(0, -1).flatMap((r) => (r.resolved.target?.word ? [{ span: r.resolved.target.word.span, message: `${r.chain ?? ''} jumps to ${r.resolved.target.word.text}` }] : [])),
        });
      }
    }
  },
};

/**
 * One cycle per strongly connected component (Tarjan), as the list of jumping rules along it.
 * Chains are the numbers of the table's jump graph (analysis.ts), in the table's chain order.
 */
function findCycles(t: TableAnalysis): AnalyzedRule[][] {
  const { chains, jumps, targets } = jumpGraph(t);
  const n = chains.length;
  let counter = 0;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const sccs: number[][] = [];
  const strong = (v: number): void => {
    // Iterative Tarjan to survive long chains of jumps without recursion limits.
    const work: Array<{ v: number; i: number }> = [{ v, i: 0 }];
    index[v] = counter; low[v] = counter; counter++; stack.push(v); onStack[v] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { v: number; i: number };
      const out = targets[frame.v] as readonly number[];
      if (frame.i < out.length) {
        const w = out[frame.i] as number;
        frame.i++;
        if (index[w] === -1) {
          index[w] = counter; low[w] = counter; counter++; stack.push(w); onStack[w] = 1;
          work.push({ v: w, i: 0 });
        } else if (onStack[w] === 1) low[frame.v] = Math.min(low[frame.v] as number, index[w] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.v] = Math.min(low[parent.v] as number, low[frame.v] as number);
      if (low[frame.v] === index[frame.v]) {
        const comp: number[] = [];
        let x: number;
        do {
          x = stack.pop() as number;
          onStack[x] = 0;
          comp.push(x);
        } while (x !== frame.v);
        sccs.push(comp);
      }
    }
  };
  for (let v = 0; v < n; v++) if (!(chains[v] as ChainInfo).builtin && index[v] === -1) strong(v);
  const cycles: AnalyzedRule[][] = [];
  for (const comp of sccs) {
    const start = comp[comp.length - 1] as number;
    if (comp.length === 1) {
      const self = (targets[start] as readonly number[]).indexOf(start);
      if (self !== -1) cycles.push([(jumps[start] as readonly AnalyzedRule[])[self] as AnalyzedRule]);
      continue;
    }
    const members = new Set(comp);
    // Walk inside the component from `start` until we come back to it.
    const path: AnalyzedRule[] = [];
    const seen = new Set<number>();
    let v = start;
    for (;;) {
      seen.add(v);
      const out = targets[v] as readonly number[];
      const k = out.findIndex((d) => members.has(d) && (d === start || !seen.has(d)));
      if (k === -1) break;
      path.push((jumps[v] as readonly AnalyzedRule[])[k] as AnalyzedRule);
      v = out[k] as number;
      if (v === start) break;
    }
    if (path.length > 0 && v === start) cycles.push(path);
  }
  return cycles;
}

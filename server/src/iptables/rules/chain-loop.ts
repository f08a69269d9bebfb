import { hooksAtCommit, jumpGraph, keptJumps, type AnalyzedRule, type ChainInfo, type JumpGraph } from '../analysis.js';
import { commitDisagreement, type Backend } from '../replay.js';
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
    backendLoop: 'jump loop: {cycle} when the table is committed with {refuser}, which {why}; {accepter} loads it, so the file loads with one backend only',
  },
  check(ctx) {
    for (const t of ctx.analysis.tables) {
      // The kernel looks for loops when the table is committed: in the rules that are left then.
      const survivors = t.replay.survivors;
      const full = jumpGraph(t);
      const graph = survivors ? keptJumps(full, (r) => survivors.legacy.has(r.line.index) || survivors.nft.has(r.line.index)) : full;
      for (const cycle of findCycles(graph)) {
        const last = cycle[cycle.length - 1] as AnalyzedRule;
        const names = cycle.map((r) => r.chain ?? '?');
        const text = [...names, names[0]].join(' → ');
        const word = last.resolved.target?.word;
        if (!word) continue;
        let reachable = names.some((n) => (t.hooks.get(n)?.size ?? 0) > 0);
        if (survivors) {
          const stays = (backend: Backend): boolean => cycle.every((r) => survivors[backend].has(r.line.index));
          if (!stays('legacy') && !stays('nft')) continue; // a cycle of rules that no backend holds at once
          const refusedBy = (backend: Backend): boolean => stays(backend) && names.some((n) => (hooksAtCommit(t, backend)?.get(n)?.size ?? 0) > 0);
          const legacy = refusedBy('legacy');
          const nft = refusedBy('nft');
          if (legacy !== nft) {
            ctx.report({
              span: word.span, messageId: 'backendLoop', severity: 'warning',
              data: { cycle: text, ...commitDisagreement(nft ? 'nft' : 'legacy') },
              related: relatedJumps(cycle),
            });
            continue;
          }
          reachable = legacy;
        }
        ctx.report({
          span: word.span,
          messageId: reachable ? 'loop' : 'unreachableLoop',
          data: { cycle: text },
          ...(reachable ? {} : { severity: 'warning' as const }),
          related: relatedJumps(cycle),
        });
      }
    }
  },
};

function relatedJumps(cycle: readonly AnalyzedRule[]): Array<{ span: { start: number; end: number }; message: string }> {
  return cycle.slice(0, -1).flatMap((r) => (r.resolved.target?.word ? [{ span: r.resolved.target.word.span, message: `${r.chain ?? ''} jumps to ${r.resolved.target.word.text}` }] : []));
}

/**
 * One cycle per strongly connected component (Tarjan), as the list of jumping rules along it, in
 * the order the components complete. Chains are the numbers of the table's jump graph
 * (analysis.ts), in the table's chain order. A kube-proxy ruleset has tens of thousands of chains,
 * nearly all of them components of their own: the search keeps its stacks in typed arrays and
 * builds a list only for a component of more than one chain.
 */
function findCycles(graph: JumpGraph): AnalyzedRule[][] {
  const { chains, jumps, targets } = graph;
  const n = chains.length;
  let counter = 0;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  // Tarjan's stack, and the depth-first search's own stack (chain, next jump to follow): iterative,
  // to survive long chains of jumps without recursion limits. Each chain enters each stack once.
  const stack = new Int32Array(n);
  let sp = 0;
  const workChain = new Int32Array(n);
  const workNext = new Int32Array(n);
  let wp = 0;
  const cycles: AnalyzedRule[][] = [];
  for (let root = 0; root < n; root++) {
    if ((chains[root] as ChainInfo).builtin || index[root] !== -1) continue;
    index[root] = counter; low[root] = counter; counter++; stack[sp++] = root; onStack[root] = 1;
    workChain[0] = root; workNext[0] = 0; wp = 1;
    while (wp > 0) {
      const v = workChain[wp - 1] as number;
      const out = targets[v] as readonly number[];
      const next = workNext[wp - 1] as number;
      if (next < out.length) {
        const w = out[next] as number;
        workNext[wp - 1] = next + 1;
        if (index[w] === -1) {
          index[w] = counter; low[w] = counter; counter++; stack[sp++] = w; onStack[w] = 1;
          workChain[wp] = w; workNext[wp] = 0; wp++;
        } else if (onStack[w] === 1) low[v] = Math.min(low[v] as number, index[w] as number);
        continue;
      }
      wp--;
      if (wp > 0) {
        const parent = workChain[wp - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[v] as number);
      }
      if (low[v] !== index[v]) continue;
      if (stack[sp - 1] === v) {
        // A component of one chain is a cycle when the chain jumps to itself.
        sp--;
        onStack[v] = 0;
        const self = (targets[v] as readonly number[]).indexOf(v);
        if (self !== -1) cycles.push([(jumps[v] as readonly AnalyzedRule[])[self] as AnalyzedRule]);
        continue;
      }
      const comp: number[] = [];
      let x: number;
      do {
        x = stack[--sp] as number;
        onStack[x] = 0;
        comp.push(x);
      } while (x !== v);
      const cycle = cycleThrough(comp, jumps, targets);
      if (cycle) cycles.push(cycle);
    }
  }
  return cycles;
}

/**
 * A shortest cycle through the component's root (the chain popped last), found breadth first: the
 * component is strongly connected, so one always exists (a walk that never turns back can run
 * into a dead end inside the component).
 */
function cycleThrough(comp: readonly number[], jumps: ReadonlyArray<readonly AnalyzedRule[]>, targets: ReadonlyArray<readonly number[]>): AnalyzedRule[] | undefined {
  const start = comp[comp.length - 1] as number;
  const members = new Set(comp);
  // How the search first reached each chain: the chain it came from and the number of that jump.
  const from = new Map<number, { chain: number; jump: number }>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    const out = targets[v] as readonly number[];
    for (let k = 0; k < out.length; k++) {
      const d = out[k] as number;
      if (d === start) {
        const path = [(jumps[v] as readonly AnalyzedRule[])[k] as AnalyzedRule];
        for (let c = v; c !== start;) {
          const step = from.get(c) as { chain: number; jump: number };
          path.unshift((jumps[step.chain] as readonly AnalyzedRule[])[step.jump] as AnalyzedRule);
          c = step.chain;
        }
        return path;
      }
      if (members.has(d) && !from.has(d)) {
        from.set(d, { chain: v, jump: k });
        queue.push(d);
      }
    }
  }
  return undefined;
}

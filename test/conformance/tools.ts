/**
 * The real tools, run asynchronously so that several cases run side by side (the shared machine
 * has 2 cores: a few concurrent child processes keep both busy while one waits on the kernel).
 *
 * Same oracle as test/helpers/realTools.ts: a real `ip(6)tables-nft-restore` that commits into a
 * private network namespace (`unshare -n`, so the kernel's checkentry runs), plus
 * `ip(6)tables-legacy-restore --test`. A ruleset is refused when either refuses it.
 */
import { spawn } from 'node:child_process';
import type { Family } from './corpus.js';

export interface ToolRun {
  readonly accepted: boolean;
  /** Exit status (null when killed by the timeout). */
  readonly status: number | null;
  /** stderr, trimmed: the tool's message when it refuses. */
  readonly message: string;
}

export interface RealVerdict {
  /** Both tools accept. */
  readonly accepted: boolean;
  readonly nft: ToolRun;
  readonly legacy: ToolRun;
}

const TIMEOUT_MS = 60_000;

/** Runs `cmd args` with `input` on stdin. Rejects only when the command cannot start. */
export function runWithInput(cmd: string, args: readonly string[], input: string): Promise<ToolRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk;
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolvePromise({ accepted: status === 0, status, message: stderr.trim() });
    });
    // The tool may exit before reading all of its input (it stops at the first bad line).
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/**
 * `nft`: a real nf_tables commit; `legacy`: the legacy backend's --test; `legacy-load`: a real
 * legacy load (where the kernel has the legacy tables). Each run has a network namespace of its own.
 */
export type Backend = 'nft' | 'legacy' | 'legacy-load';

export function toolArgs(backend: Backend, family: Family): string[] {
  const tool = `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend === 'nft' ? 'nft' : 'legacy'}-restore`;
  return ['-n', tool, ...(backend === 'legacy' ? ['--test'] : [])];
}

/**
 * One table block that ends with its COMMIT, nothing around it: such rulesets, put one after the
 * other, are read by the tools as they would be read alone (iptables-restore reads line by line and
 * starts each table afresh).
 */
const ONE_BLOCK = /^\*[^\n]*\n(?:(?![ \t]*(?:\*|COMMIT))[^\n]*\n)*COMMIT\n$/;

/**
 * Extensions whose kernel objects are shared by name and live on after their table is flushed,
 * and whose checks look at an object of that name made before (a rate estimator that must exist or
 * have the same parameters, an idle timer of the same type, an LED trigger): an earlier ruleset's
 * object could change a later one's verdict, so a real load (nf_tables or legacy) of such a ruleset
 * runs alone. hashlimit tables and recent lists are shared by name too, but the kernel checks
 * their parameters before it looks them up, and takes any it finds (harness.test.ts shows it).
 * legacy --test commits nothing and needs no such care.
 */
const SHARED_KERNEL_OBJECTS = /RATEEST|rateest|IDLETIMER|LED/;

function batchable(backend: Backend, text: string): boolean {
  return !text.includes('\r') && !text.includes('\0') && ONE_BLOCK.test(text) && (backend === 'legacy' || !SHARED_KERNEL_OBJECTS.test(text));
}

/** The input line a refusing tool names ("Error occurred at line: N", "line N failed"). */
export function refusedLine(message: string): number | undefined {
  const m = /Error occurred at line: (\d+)/.exec(message) ?? /\bline (\d+)\b/.exec(message);
  return m ? Number(m[1]) : undefined;
}

interface Ask {
  readonly backend: Backend;
  readonly family: Family;
  readonly text: string;
  /** Run it alone: a refusal is expected (a batch would stop at it), or it cannot share a run. */
  readonly alone: boolean;
  readonly resolve: (run: ToolRun) => void;
  readonly reject: (err: Error) => void;
}

/**
 * The runs of the real tools. Starting iptables-restore costs far more than what it does with a
 * one-rule ruleset (tens of milliseconds on a virtual machine, mostly the kernel mapping the
 * program and its libraries), and the suites ask about tens of thousands of rulesets. So rulesets
 * asked of the same tool and family go through one run, up to `batch` at a time, `processes` runs
 * side by side (the machine has 2 cores); each run still gets a network namespace of its own.
 *
 * A run that accepts them all accepts each. A run stops at the first refused ruleset: those before
 * it were accepted; it is refused, with the tool's message as a run of its own would give it (its
 * line numbers counted from its own first line; when it was not first, it is asked again at the
 * head of a run, so earlier rulesets can neither hide nor add anything); those after it are asked
 * again. A ruleset the caller expects to be refused runs alone, as does one that cannot share a run
 * (see `batchable`). What an accepting tool prints (warnings) is dropped from batched runs.
 */
export class ToolRuns {
  private readonly waiting: Ask[] = [];
  private running = 0;
  private pumping = false;
  /** Tool processes started (for the suites' reports). */
  started = 0;

  constructor(public processes: number, private readonly batch = 50) {}

  ask(backend: Backend, family: Family, text: string, expectRefusal = false): Promise<ToolRun> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ backend, family, text, alone: expectRefusal || !batchable(backend, text), resolve, reject });
      // Asks made in the same turn share runs: start them on the next turn.
      if (!this.pumping) {
        this.pumping = true;
        setImmediate(() => {
          this.pumping = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.processes && this.waiting.length > 0) {
      const first = this.waiting.shift() as Ask;
      const group = [first];
      if (!first.alone) {
        for (let i = 0; i < this.waiting.length && group.length < this.batch;) {
          const a = this.waiting[i] as Ask;
          if (!a.alone && a.backend === first.backend && a.family === first.family) {
            group.push(a);
            this.waiting.splice(i, 1);
          } else i++;
        }
      }
      this.running++;
      this.started++;
      void this.runGroup(group).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async runGroup(group: readonly Ask[]): Promise<void> {
    const head = group[0] as Ask;
    let run: ToolRun;
    try {
      run = await runWithInput('unshare', toolArgs(head.backend, head.family), group.map((a) => a.text).join(''));
    } catch (err) {
      for (const a of group) a.reject(err as Error);
      return;
    }
    if (group.length === 1 || run.accepted) {
      for (const a of group) a.resolve(group.length === 1 ? run : { accepted: true, status: 0, message: '' });
      return;
    }
    const line = refusedLine(run.message);
    let start = 1;
    let stopped = -1;
    for (let i = 0; i < group.length && line !== undefined; i++) {
      const lines = (group[i] as Ask).text.split('\n').length - 1;
      if (line >= start && line < start + lines) {
        stopped = i;
        break;
      }
      start += lines;
    }
    if (stopped < 0) {
      // The run names no line of its input: each is asked alone.
      this.waiting.unshift(...group.map((a) => ({ ...a, alone: true })));
      return;
    }
    for (const a of group.slice(0, stopped)) a.resolve({ accepted: true, status: 0, message: '' });
    if (stopped === 0) {
      head.resolve(run);
      this.waiting.unshift(...group.slice(1));
    } else {
      this.waiting.unshift(...group.slice(stopped));
    }
  }
}

/** Tool processes at a time: KVMNET_CONFORMANCE_JOBS, default 2 (the machine's cores). */
export const DEFAULT_JOBS = Math.max(1, Number(process.env['KVMNET_CONFORMANCE_JOBS'] ?? '2') || 2);

/** The runs this process shares. */
export const TOOL_RUNS = new ToolRuns(DEFAULT_JOBS);

/**
 * The large suites (mutations, word edits, value pool, relocation, programs, pairs) judge tens of
 * thousands of rulesets. Those kvmnet finds no error in share tool runs and cost little; each one
 * it flags is most likely refused and so needs a run of its own, which on this kind of machine
 * costs 20-40 ms whatever the ruleset. `npm test` judges every unflagged ruleset and one in
 * FLAGGED_SAMPLE of the flagged ones, the same ones on every machine (a hash of the text), which
 * keeps CI within its time; KVMNET_CONFORMANCE=full judges them all.
 */
export const FULL_CONFORMANCE = process.env['KVMNET_CONFORMANCE'] === 'full';
export const FLAGGED_SAMPLE = 8;

/** Whether a ruleset kvmnet flags is judged in this run (always with KVMNET_CONFORMANCE=full). */
export function judgedWhenFlagged(text: string): boolean {
  if (FULL_CONFORMANCE) return true;
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % FLAGGED_SAMPLE === 0;
}

/** Says which rulesets a suite's counts cover. */
export function samplingNote(): string {
  return FULL_CONFORMANCE ? 'every ruleset judged (KVMNET_CONFORMANCE=full)' : `rulesets kvmnet flags: 1 in ${FLAGGED_SAMPLE} judged (KVMNET_CONFORMANCE=full judges all)`;
}

/** How many rulesets the suites keep in flight: enough to fill the tool runs' batches. */
export const IN_FLIGHT = 256;

/** Judges one ruleset with both real tools; `expectRefusal` (kvmnet reports an error) only decides how it is run. */
export async function judge(text: string, family: Family, expectRefusal = false): Promise<RealVerdict> {
  const [nft, legacy] = await Promise.all([TOOL_RUNS.ask('nft', family, text, expectRefusal), TOOL_RUNS.ask('legacy', family, text, expectRefusal)]);
  return { accepted: nft.accepted && legacy.accepted, nft, legacy };
}

/**
 * A per-run memo of verdicts: the same (family, text) is judged once per process. Nothing is
 * written to disk; every run asks the tools again.
 */
export class VerdictCache {
  private readonly memo = new Map<string, Promise<RealVerdict>>();

  judge(text: string, family: Family, expectRefusal = false): Promise<RealVerdict> {
    const key = `${family}\0${text}`;
    let verdict = this.memo.get(key);
    if (!verdict) {
      verdict = judge(text, family, expectRefusal);
      this.memo.set(key, verdict);
    }
    return verdict;
  }
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** A short form of a tool message: the lines that say what is wrong, without the banner. */
export function shortMessage(run: ToolRun): string {
  const lines = run.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Try `.*--help' for more information\.$/.test(l));
  const text = lines.join(' ').replace(/^ip6?tables(-restore|-nft-restore|-legacy-restore)? v[\d.]+ \((nf_tables|legacy)\):\s*/, '');
  return text === '' ? `exit ${run.status ?? 'killed'}` : text;
}

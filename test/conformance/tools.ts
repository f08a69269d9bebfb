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

function binary(family: Family, backend: 'nft' | 'legacy'): string {
  return `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}-restore`;
}

/** Judges one ruleset with both real tools. */
export async function judge(text: string, family: Family): Promise<RealVerdict> {
  const [nft, legacy] = await Promise.all([
    runWithInput('unshare', ['-n', binary(family, 'nft')], text),
    runWithInput('unshare', ['-n', binary(family, 'legacy'), '--test'], text),
  ]);
  return { accepted: nft.accepted && legacy.accepted, nft, legacy };
}

/**
 * A per-run memo of verdicts: the same (family, text) is judged once per process. Nothing is
 * written to disk; every run asks the tools again.
 */
export class VerdictCache {
  private readonly memo = new Map<string, Promise<RealVerdict>>();

  judge(text: string, family: Family): Promise<RealVerdict> {
    const key = `${family}\0${text}`;
    let verdict = this.memo.get(key);
    if (!verdict) {
      verdict = judge(text, family);
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

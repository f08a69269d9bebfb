/**
 * The real tools as test oracles (DESIGN.md §7). A ruleset is "accepted" when a real
 * `iptables-restore` (nf_tables backend) loads it into a private network namespace
 * (`unshare -n`, so the kernel's checkentry runs too) AND `iptables-legacy-restore --test` accepts it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Family = 'ipv4' | 'ipv6';

export interface ToolVerdict {
  readonly accepted: boolean;
  /** The tool's stderr, trimmed (its error message when refused). */
  readonly message: string;
}

function run(cmd: string, args: string[], input: string): ToolVerdict {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message}`);
  return { accepted: r.status === 0, message: (r.stderr ?? '').trim() };
}

/** nf_tables backend, for real, inside a throw-away network namespace. */
export function nftRestore(text: string, family: Family = 'ipv4'): ToolVerdict {
  return run('unshare', ['-n', family === 'ipv4' ? 'iptables-nft-restore' : 'ip6tables-nft-restore'], text);
}

/** Legacy backend, `--test` only (parses and checks in userspace, commits nothing). */
export function legacyRestoreTest(text: string, family: Family = 'ipv4'): ToolVerdict {
  return run('unshare', ['-n', family === 'ipv4' ? 'iptables-legacy-restore' : 'ip6tables-legacy-restore', '--test'], text);
}

/**
 * Legacy backend, for real, inside a throw-away network namespace: the kernel's checks run when the
 * table is loaded. Not part of the oracle of DESIGN §3 (the kernel's legacy tables are optional);
 * tests that claim what a legacy host does use it when {@link legacyLoadAvailable}.
 */
export function legacyRestoreLoad(text: string, family: Family = 'ipv4'): ToolVerdict {
  return run('unshare', ['-n', family === 'ipv4' ? 'iptables-legacy-restore' : 'ip6tables-legacy-restore'], text);
}

let legacyLoads: boolean | undefined;
/** True when a real legacy load works here (the kernel has the legacy ip_tables/ip6_tables). */
export function legacyLoadAvailable(): boolean {
  if (legacyLoads === undefined) {
    legacyLoads = realToolsAvailable()
      && legacyRestoreLoad('*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', 'ipv4').accepted
      && legacyRestoreLoad('*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', 'ipv6').accepted;
  }
  return legacyLoads;
}

/** Accepted only when both backends accept it. */
export function realToolAccepts(text: string, family: Family = 'ipv4'): ToolVerdict {
  const nft = nftRestore(text, family);
  if (!nft.accepted) return nft;
  return legacyRestoreTest(text, family);
}

let available: boolean | undefined;
/**
 * The rules as the kernel holds them after a real load: the ruleset (on stdin) is restored with the
 * nf_tables backend in a throw-away network namespace and read back with `iptables-nft-save` in the
 * same namespace (the script is fixed; the ruleset never reaches the shell). The `-A` lines, or
 * undefined when the load is refused.
 */
export function nftSavedRules(text: string, family: Family = 'ipv4'): string[] | undefined {
  const tool = family === 'ipv4' ? 'iptables-nft' : 'ip6tables-nft';
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `${tool}-restore && ${tool}-save`], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`cannot run unshare: ${r.error.message}`);
  if (r.status !== 0) return undefined;
  return r.stdout.split('\n').filter((l) => l.startsWith('-A '));
}

/** True when the real tools can run here (root, unshare, iptables installed). */
export function realToolsAvailable(): boolean {
  if (available === undefined) {
    try {
      execFileSync('unshare', ['-n', 'iptables-nft-restore', '--version'], { stdio: 'ignore' });
      execFileSync('unshare', ['-n', 'iptables-legacy-restore', '--version'], { stdio: 'ignore' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

/**
 * Loads `base` and then `fragment` with `-n` (no flush), in one private network namespace, as ufw
 * loads its rule files on top of the chains it has made: whether nf_tables' iptables-restore takes
 * the fragment there.
 */
export function nftRestoreOnTop(base: string, fragment: string, family: Family = 'ipv4'): ToolVerdict {
  const tool = family === 'ipv4' ? 'iptables-nft-restore' : 'ip6tables-nft-restore';
  const dir = mkdtempSync(join(tmpdir(), 'kvmnet-ontop-'));
  try {
    const baseFile = join(dir, 'base');
    const fragmentFile = join(dir, 'fragment');
    writeFileSync(baseFile, base);
    writeFileSync(fragmentFile, fragment);
    const r = spawnSync('unshare', ['-n', 'sh', '-c', `${tool} "$1" && ${tool} -n "$2"`, 'sh', baseFile, fragmentFile], { encoding: 'utf8', timeout: 30_000 });
    return { accepted: r.status === 0, message: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

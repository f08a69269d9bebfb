/**
 * The network interfaces of the machine the language server runs on, read from sysfs
 * (`/sys/class/net`), for completion after `-i`, `-o` and physdev's options. Over VS Code Remote
 * that machine is the KVM host whose rules are being edited; run locally it is the admin's own, so
 * completion labels them "on this machine" and ranks them after the names the file already uses.
 *
 * Nothing here changes the host: it lists a directory and reads a few attribute files. Any error
 * (no sysfs, a container without it, an interface that goes away while it is read) gives fewer
 * interfaces, never an exception.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

export type InterfaceKind = 'loopback' | 'bridge' | 'bridge port' | 'tun/tap' | 'other';

export interface HostInterface {
  readonly name: string;
  readonly kind: InterfaceKind;
  /** The bridge a bridge port belongs to. */
  readonly master?: string;
}

/** ARPHRD_LOOPBACK, the `type` of lo. */
const ARPHRD_LOOPBACK = '772';

/** Reads the interfaces under `root` (sysfs's class directory), sorted by name. */
export function readHostInterfaces(root = '/sys/class/net'): HostInterface[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const found: HostInterface[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.') || name === 'bonding_masters') continue;
    const dir = join(root, name);
    try {
      if (existsSync(join(dir, 'bridge'))) found.push({ name, kind: 'bridge' });
      else if (existsSync(join(dir, 'brport'))) {
        const master = masterOf(dir);
        found.push(master ? { name, kind: 'bridge port', master } : { name, kind: 'bridge port' });
      } else if (existsSync(join(dir, 'tun_flags'))) found.push({ name, kind: 'tun/tap' });
      else if (readFileSync(join(dir, 'type'), 'utf8').trim() === ARPHRD_LOOPBACK) found.push({ name, kind: 'loopback' });
      else found.push({ name, kind: 'other' });
    } catch {
      found.push({ name, kind: 'other' });
    }
  }
  return found;
}

function masterOf(dir: string): string | undefined {
  try {
    return basename(readlinkSync(join(dir, 'master')));
  } catch {
    return undefined;
  }
}

/**
 * The `+` wildcards that cover two or more of the names and differ only in a trailing number
 * (`vnet0`, `vnet1` give `vnet+`): what a rule for every guest's tap device is written with.
 */
export function wildcardsOf(names: readonly string[]): Array<{ readonly wildcard: string; readonly count: number }> {
  const counts = new Map<string, number>();
  for (const n of names) {
    const m = /^(.*?[^0-9])[0-9]+$/.exec(n);
    if (m) counts.set(m[1] as string, (counts.get(m[1] as string) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n >= 2).map(([stem, count]) => ({ wildcard: `${stem}+`, count })).sort((a, b) => a.wildcard.localeCompare(b.wildcard));
}

/**
 * `readHostInterfaces` remembered for a few seconds: completion asks on every keystroke, and
 * guests' tap devices come and go.
 */
export function cachedHostInterfaces(ttlMs = 5000, read: () => HostInterface[] = readHostInterfaces): () => readonly HostInterface[] {
  let at = -Infinity;
  let last: readonly HostInterface[] = [];
  return () => {
    const now = Date.now();
    if (now - at > ttlMs) {
      last = read();
      at = now;
    }
    return last;
  };
}

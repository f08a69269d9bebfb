import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cachedHostInterfaces, readHostInterfaces, wildcardsOf } from '../../server/src/net/hostInterfaces.js';

describe('readHostInterfaces', () => {
  // A sysfs class directory as the kernel lays it out for a KVM host: a bridge with an uplink and a
  // guest's tap device as ports, libvirt's NAT bridge, the loopback, a plain NIC.
  const root = mkdtempSync(join(tmpdir(), 'kvmnet-sysfs-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const device = (name: string, type: string, extra: (dir: string) => void = () => {}): void => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'type'), `${type}\n`);
    extra(dir);
  };
  device('br0', '1', (d) => mkdirSync(join(d, 'bridge')));
  device('virbr0', '1', (d) => mkdirSync(join(d, 'bridge')));
  device('enp3s0', '1', (d) => {
    mkdirSync(join(d, 'brport'));
    symlinkSync('../br0', join(d, 'master'));
  });
  device('vnet0', '1', (d) => {
    writeFileSync(join(d, 'tun_flags'), '0x1002\n');
    mkdirSync(join(d, 'brport'));
    symlinkSync('../virbr0', join(d, 'master'));
  });
  device('vnet1', '1', (d) => writeFileSync(join(d, 'tun_flags'), '0x1002\n'));
  device('lo', '772');
  device('eth0', '1');
  writeFileSync(join(root, 'bonding_masters'), '\n');

  test('names each interface with its kind and, for a bridge port, its bridge', () => {
    assert.deepEqual(readHostInterfaces(root), [
      { name: 'br0', kind: 'bridge' },
      { name: 'enp3s0', kind: 'bridge port', master: 'br0' },
      { name: 'eth0', kind: 'other' },
      { name: 'lo', kind: 'loopback' },
      { name: 'virbr0', kind: 'bridge' },
      { name: 'vnet0', kind: 'bridge port', master: 'virbr0' },
      { name: 'vnet1', kind: 'tun/tap' },
    ]);
  });
  test('a missing directory gives no interfaces, not an exception', () => {
    assert.deepEqual(readHostInterfaces(join(root, 'nowhere')), []);
  });
  test('this machine: its real sysfs lists the loopback', () => {
    const lo = readHostInterfaces().find((i) => i.name === 'lo');
    assert.deepEqual(lo, { name: 'lo', kind: 'loopback' });
  });
});

describe('wildcardsOf', () => {
  test('a "+" for names that differ only in a trailing number, two or more of them', () => {
    assert.deepEqual(wildcardsOf(['vnet0', 'vnet1', 'vnet12', 'eth0', 'br0', 'br1', 'lo', 'tap']), [
      { wildcard: 'br+', count: 2 },
      { wildcard: 'vnet+', count: 3 },
    ]);
    assert.deepEqual(wildcardsOf(['eth0', '0', '10']), []);
  });
});

describe('cachedHostInterfaces', () => {
  test('reads again only after the time to live', () => {
    let reads = 0;
    const cached = cachedHostInterfaces(60_000, () => {
      reads++;
      return [{ name: 'lo', kind: 'loopback' }];
    });
    cached();
    cached();
    assert.equal(reads, 1);
    const fresh = cachedHostInterfaces(-1, () => {
      reads++;
      return [];
    });
    fresh();
    fresh();
    assert.equal(reads, 3);
  });
});

// As root, the userspace proxy makes ClusterIPs local addresses by putting
// them on a dummy interface of its own (kube-proxy's IPVS mode does the same
// with kube-ipvs0), so it can bind them and the kernel delivers traffic for
// them to its listeners; on a kernel without the dummy driver, a bridge with
// no ports stands in. Nothing but that one interface is ever touched.
// Addresses in 127.0.0.0/8 (and ::1) are local already and are left alone.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const DEFAULT_PROXY_INTERFACE = 'skiff-proxy0';

/** Runs `ip` with arguments and resolves with its stdout; rejects with its stderr. */
export type IpCommand = (args: readonly string[]) => Promise<string>;

const execFileAsync = promisify(execFile);

export const runIp: IpCommand = async (args) => {
  try {
    const { stdout } = await execFileAsync('ip', [...args]);
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`ip ${args.join(' ')} failed: ${stderr || (error as Error).message}`);
  }
};

/** Where the backend's virtual IPs are made local. */
export interface AddressManager {
  /** Makes exactly `ips` (none of them loopback) the addresses it manages. */
  sync(ips: readonly string[]): Promise<void>;
  /** Removes everything it added. */
  cleanup(): Promise<void>;
}

export function isLoopbackIP(ip: string): boolean {
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/** The `ip` invocations that take the interface from `current` to `desired` addresses (pure). */
export function addressCommands(name: string, current: readonly string[], desired: readonly string[]): string[][] {
  const want = new Set(desired);
  const have = new Set(current);
  const commands: string[][] = [];
  for (const ip of current) if (!want.has(ip)) commands.push(['addr', 'del', hostPrefix(ip), 'dev', name]);
  for (const ip of desired) {
    if (have.has(ip)) continue;
    // nodad: an IPv6 address is usable at once instead of after duplicate detection.
    commands.push(ip.includes(':') ? ['addr', 'add', hostPrefix(ip), 'dev', name, 'nodad'] : ['addr', 'add', hostPrefix(ip), 'dev', name]);
  }
  return commands;
}

function hostPrefix(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

interface IpAddrJson {
  addr_info?: Array<{ local?: string }>;
}

export class DummyInterface implements AddressManager {
  constructor(
    readonly name: string = DEFAULT_PROXY_INTERFACE,
    private readonly ip: IpCommand = runIp,
  ) {}

  async sync(ips: readonly string[]): Promise<void> {
    const current = await this.addresses();
    // Created lazily: a node whose ClusterIPs are all loopback never gets one.
    if (current === undefined) {
      if (ips.length === 0) return;
      await this.create();
    }
    for (const args of addressCommands(this.name, current ?? [], ips)) await this.ip(args);
    if (current === undefined) await this.ip(['link', 'set', this.name, 'up']);
  }

  async cleanup(): Promise<void> {
    if ((await this.addresses()) === undefined) return;
    await this.ip(['link', 'del', this.name]);
  }

  private async create(): Promise<void> {
    try {
      await this.ip(['link', 'add', this.name, 'type', 'dummy']);
    } catch (error) {
      // A kernel built without CONFIG_DUMMY: a bridge with no ports holds
      // local addresses just as well, and nothing is ever attached to it.
      if (!/Unknown device type/i.test((error as Error).message)) throw error;
      await this.ip(['link', 'add', this.name, 'type', 'bridge']);
    }
  }

  /** The interface's addresses, or undefined when it does not exist. */
  private async addresses(): Promise<string[] | undefined> {
    let out: string;
    try {
      out = await this.ip(['-j', 'addr', 'show', 'dev', this.name]);
    } catch (error) {
      if (/does not exist|Cannot find device/i.test((error as Error).message)) return undefined;
      throw error;
    }
    const parsed = JSON.parse(out === '' ? '[]' : out) as IpAddrJson[];
    if (parsed.length === 0) return undefined;
    return parsed.flatMap((link) => (link.addr_info ?? []).flatMap((a) => (a.local === undefined || a.local.startsWith('fe80:') ? [] : [a.local])));
  }
}

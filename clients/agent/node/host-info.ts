// What the agent tells the API server about its machine: the kubelet's
// capacity and nodeInfo, read from the host it runs on.

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { NodeSystemInfo } from '../../client/types.js';

export const AGENT_VERSION = 'v0.1.0-skiff';

/** The kubelet's default --max-pods. */
export const DEFAULT_MAX_PODS = 110;

export interface HostInfo {
  capacity: Record<string, string>;
  nodeInfo: NodeSystemInfo;
}

// Node's process.arch in Go's GOARCH spelling, which is what nodeInfo and the kubernetes.io/arch label carry.
const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function goArchitecture(): string {
  return goArch[process.arch] ?? process.arch;
}

async function readTrimmed(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return '';
  }
}

async function osImage(): Promise<string> {
  const release = await readTrimmed('/etc/os-release');
  const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(release)?.[1];
  return pretty ?? `${os.type()} ${os.release()}`;
}

export async function readHostInfo(maxPods = DEFAULT_MAX_PODS): Promise<HostInfo> {
  return {
    capacity: {
      cpu: String(os.availableParallelism()),
      memory: `${Math.floor(os.totalmem() / 1024)}Ki`,
      pods: String(maxPods),
    },
    nodeInfo: {
      machineID: await readTrimmed('/etc/machine-id'),
      systemUUID: await readTrimmed('/sys/class/dmi/id/product_uuid'),
      bootID: await readTrimmed('/proc/sys/kernel/random/boot_id'),
      kernelVersion: os.release(),
      osImage: await osImage(),
      containerRuntimeVersion: 'skiff://none',
      kubeletVersion: AGENT_VERSION,
      kubeProxyVersion: AGENT_VERSION,
      operatingSystem: os.platform() === 'win32' ? 'windows' : os.platform(),
      architecture: goArchitecture(),
    },
  };
}

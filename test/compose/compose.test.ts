// docker-compose.yml, checked with a real Compose implementation (Debian's
// docker-compose; no Docker engine is needed to validate), and its one-shot
// `register` script run for real against a skiff server.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from '../support/test-server.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const COMPOSE_FILE = `${REPO_ROOT}docker-compose.yml`;
const DOCKER_COMPOSE = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((path) => existsSync(path));

interface ComposeService {
  build?: { context?: string } | string;
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  cap_add?: string[];
  depends_on?: Record<string, { condition: string }>;
  networks?: Record<string, { ipv4_address?: string } | null>;
}

interface ComposeConfig {
  services: Record<string, ComposeService>;
  networks: Record<string, { ipam?: { config?: Array<{ subnet?: string }> } }>;
  volumes?: Record<string, unknown>;
}

/** The few fields the register test reads back. */
interface Registered {
  spec?: { podCIDR?: string; clusterIP?: string; ports?: Array<{ nodePort?: number }> };
  status?: { podIP?: string };
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function flag(command: string[] | undefined, name: string): string | undefined {
  const index = command?.indexOf(name) ?? -1;
  return index < 0 ? undefined : command?.[index + 1];
}

function address(service: ComposeService | undefined): string | undefined {
  return service?.networks?.skiff?.ipv4_address;
}

describe('docker-compose.yml', { skip: DOCKER_COMPOSE === undefined ? 'docker-compose is not installed (apt-get install docker-compose)' : false }, () => {
  let config: ComposeConfig;

  before(async () => {
    const result = await run(DOCKER_COMPOSE!, ['-f', COMPOSE_FILE, 'config']);
    assert.equal(result.code, 0, `docker-compose config failed:\n${result.stderr}`);
    config = parse(result.stdout) as ComposeConfig;
  });

  it('is valid for docker-compose config -q', async () => {
    const result = await run(DOCKER_COMPOSE!, ['-f', COMPOSE_FILE, 'config', '-q']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
  });

  it('has the server, two agents, DNS, the backends and the register job', () => {
    const services = Object.keys(config.services).sort();
    assert.deepEqual(services, ['agent-1', 'agent-2', 'backend-1', 'backend-2', 'credentials', 'dns', 'register', 'server']);
    for (const [name, service] of Object.entries(config.services)) {
      assert.equal(service.image, 'skiff:local', `${name} runs the skiff image`);
      const context = typeof service.build === 'string' ? service.build : service.build?.context;
      assert.equal(context?.replace(/\/$/, ''), REPO_ROOT.replace(/\/$/, ''), `${name} builds from the repository's Dockerfile`);
    }
    assert.ok(existsSync(`${REPO_ROOT}Dockerfile`));
  });

  it('keeps the server data in a volume', () => {
    assert.equal(flag(config.services.server?.command, '--data'), '/var/lib/skiff/skiff.db');
    assert.ok(config.volumes !== undefined && 'skiff-data' in config.volumes);
  });

  it('serves TLS on the server\'s own address, so its certificate names what the agents dial', () => {
    assert.equal(flag(config.services.server?.command, '--host'), address(config.services.server));
    assert.equal(flag(config.services.server?.command, '--insecure-serve-http'), undefined);
    const script = config.services.credentials?.command?.[0] ?? '';
    for (const identity of ['--node agent-1', '--node agent-2', '--user system:skiff-dns']) assert.ok(script.includes(identity), `credentials issues ${identity}`);
    assert.ok(script.includes(`https://${address(config.services.server)}:8080`));
  });

  it('runs both agents in nftables mode with NET_ADMIN, on their own fixed addresses', () => {
    for (const name of ['agent-1', 'agent-2']) {
      const agent = config.services[name];
      assert.equal(agent?.command?.[0], 'agent');
      assert.equal(flag(agent?.command, '--mode'), 'nftables');
      assert.equal(flag(agent?.command, '--node'), name);
      assert.ok(agent?.cap_add?.includes('NET_ADMIN'), `${name} can program netfilter`);
      assert.equal(flag(agent?.command, '--node-ip'), address(agent), `${name} serves NodePorts on its own address`);
      assert.equal(flag(agent?.command, '--kubeconfig'), `/credentials/${name}.kubeconfig`);
      assert.equal(agent?.depends_on?.register?.condition, 'service_completed_successfully');
    }
  });

  it('runs DNS against the server', () => {
    const dns = config.services.dns?.command;
    assert.equal(dns?.[0], 'dns');
    assert.equal(flag(dns, '--kubeconfig'), '/credentials/dns.kubeconfig');
    assert.equal(flag(dns, '--listen'), '0.0.0.0:53');
  });

  it('gives every container a distinct fixed address inside the network', () => {
    const subnet = config.networks.skiff?.ipam?.config?.[0]?.subnet;
    assert.equal(subnet, '172.28.0.0/16');
    const addresses = Object.values(config.services).map(address);
    assert.ok(addresses.every((a) => a?.startsWith('172.28.')), addresses.join(', '));
    assert.equal(new Set(addresses).size, addresses.length);
  });

  it('registers the backends with the addresses their containers have', () => {
    const script = config.services.register?.command?.[0] ?? '';
    for (const name of ['backend-1', 'backend-2']) {
      const ip = address(config.services[name]);
      assert.ok(ip !== undefined && script.includes(`'${ip}'`), `${name} (${ip}) is registered as a Pod`);
    }
  });

  describe('the register job against a real server', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ memory: true, podCidr: '172.28.0.0/16', serviceCidr: '10.96.0.0/16' });
    });
    after(async () => {
      await server.close();
    });

    const register = (): Promise<{ code: number; stdout: string; stderr: string }> => {
      const service = config.services.register!;
      const [node, ...args] = service.entrypoint!;
      assert.equal(node, 'node');
      return run(process.execPath, [...args, ...service.command!], { SKIFF_SERVER: server.url });
    };

    it('creates the Nodes, Pods with their addresses, and the Services', async () => {
      const result = await register();
      assert.equal(result.code, 0, result.stderr);
      const get = async (path: string): Promise<Registered> => (await fetch(`${server.url}${path}`)).json() as Promise<Registered>;
      assert.equal((await get('/api/v1/nodes/agent-2')).spec?.podCIDR, '172.28.2.0/24');
      assert.equal((await get('/api/v1/namespaces/default/pods/web-1')).status?.podIP, address(config.services['backend-1']));
      assert.equal((await get('/api/v1/namespaces/default/pods/web-2')).status?.podIP, address(config.services['backend-2']));
      assert.equal((await get('/api/v1/namespaces/default/services/web')).spec?.clusterIP, '10.96.0.80');
      assert.equal((await get('/api/v1/namespaces/default/services/web-nodeport')).spec?.ports?.[0]?.nodePort, 30080);
    });

    it('can run again (docker compose up twice) without failing', async () => {
      const result = await register();
      assert.equal(result.code, 0, result.stderr);
    });
  });
});

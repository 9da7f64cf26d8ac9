import assert from 'node:assert/strict';

/** Objects as the wire carries them; tests read fields loosely. */
export interface WireObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<Record<string, unknown>>;
  };
  [field: string]: unknown;
}

export interface WireList {
  items: WireObject[];
}

/** Bounded polling: controllers act asynchronously, tests wait for the outcome, never for a time. */
const WAIT_TIMEOUT_MS = 10_000;
const WAIT_INTERVAL_MS = 20;

/** A small fetch-based client of one test server. */
export class ClusterClient {
  constructor(readonly url: string) {}

  async request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': contentType },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async create(path: string, body: unknown): Promise<WireObject> {
    const response = await this.request('POST', path, body);
    assert.equal(response.status, 201, `POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as WireObject;
  }

  async get(path: string): Promise<WireObject | undefined> {
    const response = await this.request('GET', path);
    if (response.status === 404) return undefined;
    assert.equal(response.status, 200, `GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as WireObject;
  }

  async list(path: string): Promise<WireObject[]> {
    const response = await this.request('GET', path);
    assert.equal(response.status, 200, `GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as WireList).items;
  }

  async patch(path: string, body: unknown): Promise<WireObject> {
    const response = await this.request('PATCH', path, body, 'application/merge-patch+json');
    assert.equal(response.status, 200, `PATCH ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as WireObject;
  }

  async put(path: string, body: unknown): Promise<WireObject> {
    const response = await this.request('PUT', path, body);
    assert.ok(response.status === 200 || response.status === 201, `PUT ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as WireObject;
  }

  async delete(path: string): Promise<void> {
    const response = await this.request('DELETE', path);
    assert.equal(response.status, 200, `DELETE ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  }

  /** Polls `read` until `done` holds for its result, and returns that result; fails with the last one seen. */
  async waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    let last: T = await read();
    while (!done(last)) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
      await new Promise((resolve) => setTimeout(resolve, WAIT_INTERVAL_MS));
      last = await read();
    }
    return last;
  }
}

export const ns = (namespace: string) => ({
  pods: `/api/v1/namespaces/${namespace}/pods`,
  pod: (name: string) => `/api/v1/namespaces/${namespace}/pods/${name}`,
  services: `/api/v1/namespaces/${namespace}/services`,
  service: (name: string) => `/api/v1/namespaces/${namespace}/services/${name}`,
  endpoints: (name: string) => `/api/v1/namespaces/${namespace}/endpoints/${name}`,
  endpointsList: `/api/v1/namespaces/${namespace}/endpoints`,
  slices: (service: string) => `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`,
  slicesList: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
});

export interface TestPod {
  labels?: Record<string, string>;
  node?: string;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
}

export function podBody(name: string, options: TestPod = {}): unknown {
  return {
    metadata: { name, labels: options.labels ?? { app: 'web' } },
    spec: {
      ...(options.node ? { nodeName: options.node } : {}),
      containers: [{ name: 'c', image: 'nginx', ports: options.ports ?? [] }],
    },
  };
}

/** What a node agent reports for a running pod: its address and readiness. */
export function podStatus(ip: string, ready = true): unknown {
  return { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}

export function serviceBody(name: string, spec: Record<string, unknown> = {}): unknown {
  return { metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } };
}

/** A Node as an agent registers it; `ready` undefined leaves out the Ready condition. */
export function nodeBody(name: string, ready: boolean | undefined, spec: Record<string, unknown> = {}): unknown {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    metadata: { name },
    spec,
    status: ready === undefined ? {} : { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }] },
  };
}

/** Endpoint addresses of all slices of a Service, with their ready condition, sorted. */
export function sliceEndpoints(slices: WireObject[]): string[] {
  const out: string[] = [];
  for (const slice of slices) {
    for (const endpoint of (slice.endpoints as Array<{ addresses: string[]; conditions: { ready: boolean } }> | undefined) ?? []) {
      out.push(`${endpoint.addresses[0]}${endpoint.conditions.ready ? '' : ' (not ready)'}`);
    }
  }
  return out.sort();
}

interface Subset {
  addresses?: Array<{ ip: string }>;
  notReadyAddresses?: Array<{ ip: string }>;
  ports?: Array<{ port: number }>;
}

/** Endpoints addresses as "ip:port" (ready) and "ip:port (not ready)", sorted. */
export function endpointAddresses(endpoints: WireObject | undefined): string[] {
  const out: string[] = [];
  for (const subset of (endpoints?.subsets as Subset[] | undefined) ?? []) {
    const ports = (subset.ports ?? []).map((p) => p.port);
    for (const port of ports.length > 0 ? ports : [undefined]) {
      const suffix = port === undefined ? '' : `:${port}`;
      for (const a of subset.addresses ?? []) out.push(`${a.ip}${suffix}`);
      for (const a of subset.notReadyAddresses ?? []) out.push(`${a.ip}${suffix} (not ready)`);
    }
  }
  return out.sort();
}

export const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

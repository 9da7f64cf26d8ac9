// One probe attempt, as the kubelet's prober runs it (pkg/probe/http,
// pkg/probe/tcp): httpGet succeeds on a status from 200 to 399 within the
// timeout, tcpSocket on an established connection. The target is the Pod's IP
// unless the probe names a host.

import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Probe } from '../../client/types.js';

export interface ProbeOutcome {
  success: boolean;
  /** Why it failed (or what was odd), for the log. */
  message: string;
}

/** Runs one probe of `container` of a Pod at `podIP`. */
export type Prober = (probe: Probe, container: Container, podIP: string) => Promise<ProbeOutcome>;

export const PROBE_USER_AGENT = 'kube-probe/skiff';

// The kubelet reads at most 10 KiB of a probe's response body.
const MAX_BODY_BYTES = 10 * 1024;

export const runProbe: Prober = async (probe, container, podIP) => {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet !== undefined) {
    const port = resolvePort(probe.httpGet.port, container);
    if (typeof port === 'string') return { success: false, message: port };
    const host = probe.httpGet.host !== undefined && probe.httpGet.host !== '' ? probe.httpGet.host : podIP;
    return httpProbe(probe.httpGet.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP', host, port, probe.httpGet.path ?? '/', timeoutMs);
  }
  if (probe.tcpSocket !== undefined) {
    const port = resolvePort(probe.tcpSocket.port, container);
    if (typeof port === 'string') return { success: false, message: port };
    const host = probe.tcpSocket.host !== undefined && probe.tcpSocket.host !== '' ? probe.tcpSocket.host : podIP;
    return tcpProbe(host, port, timeoutMs);
  }
  // exec and grpc need a running container; skiff has none to run them in.
  return { success: true, message: 'probe handler not supported by skiff; counted as passing' };
};

/** A port number, or a named port of the container (findPortByName); a string is the error. */
export function resolvePort(port: number | string, container: Container): number | string {
  if (typeof port === 'number') return port >= 1 && port <= 65535 ? port : `invalid port number: ${port}`;
  if (/^\d+$/.test(port)) return resolvePort(Number(port), container);
  const named = container.ports?.find((p) => p.name === port);
  return named === undefined ? `couldn't find port: ${port} in container ${container.name}` : named.containerPort;
}

function httpProbe(scheme: 'HTTP' | 'HTTPS', host: string, port: number, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const request = scheme === 'HTTPS' ? https.request : http.request;
    const req = request(
      {
        host,
        port,
        path: path.startsWith('/') ? path : `/${path}`,
        method: 'GET',
        // Probes open a fresh connection each time and close it, as the kubelet does.
        agent: false,
        headers: { 'user-agent': PROBE_USER_AGENT, accept: '*/*', connection: 'close' },
        // The kubelet does not verify a probed Pod's certificate.
        rejectUnauthorized: false,
      },
      (res) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_BODY_BYTES) res.destroy();
        });
        const status = res.statusCode ?? 0;
        const done = (): void => {
          clearTimeout(timer);
          resolve(status >= 200 && status < 400 ? { success: true, message: `HTTP probe succeeded with statuscode: ${status}` } : { success: false, message: `HTTP probe failed with statuscode: ${status}` });
        };
        res.on('end', done);
        res.on('close', done);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      resolve({ success: false, message: `Get "${scheme.toLowerCase()}://${formatHost(host)}:${port}${path}": ${error.message}` });
    });
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (outcome: ProbeOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ success: false, message: `dial tcp ${formatHost(host)}:${port}: i/o timeout` }), timeoutMs);
    socket.once('connect', () => finish({ success: true, message: 'tcp connection established' }));
    socket.once('error', (error) => finish({ success: false, message: `dial tcp ${formatHost(host)}:${port}: ${error.message}` }));
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

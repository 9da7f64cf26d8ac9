// pods/exec over WebSocket (what kubectl 1.30+ speaks: v5.channel.k8s.io,
// falling back to v4): the API server checks the request, opens the same
// WebSocket to the kubelet endpoint of the Pod's node with the protocols the
// client offered, and then relays every message both ways unchanged, as
// kube-apiserver's upgrade-aware proxy does. Upgrades arrive on the HTTP
// server's 'upgrade' event, outside fastify's routing.
// Because no fastify hook runs here, the handler authenticates and authorizes
// the request itself through `authorizeUpgrade`.

import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { ApiError, BadRequestError, InternalError, NotFoundError } from '../errors.js';
import type { GenericRegistry } from '../resources/generic-registry.js';
import type { KubeObject } from '../resources/strategy.js';
import type { Node } from '../schemas/node.js';
import type { Pod } from '../schemas/pod.js';
import { logContainer } from './pod-log-route.js';

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/;

export interface PodExecUpgradeOptions {
  pods: GenericRegistry<KubeObject>;
  nodes: GenericRegistry<KubeObject>;
  /** Authentication and authorization of the upgrade request; throws a typed error to refuse. */
  authorizeUpgrade: (request: http.IncomingMessage) => Promise<void>;
}

function statusBody(error: ApiError): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason: error.reason, code: error.code });
}

function refuse(socket: Duplex, error: ApiError): void {
  const body = statusBody(error);
  socket.end(`HTTP/1.1 ${error.code} ${http.STATUS_CODES[error.code] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** Where the kubelet of the Pod's node serves exec for this request. */
function kubeletExecUrl(url: URL, options: PodExecUpgradeOptions, namespace: string, name: string): string {
  const pod = options.pods.get(namespace, name) as Pod;
  const container = logContainer(pod, url.searchParams.get('container') ?? undefined);
  const command = url.searchParams.getAll('command');
  if (command.length === 0) throw new BadRequestError('you must specify at least 1 command');
  if (url.searchParams.get('tty') === 'true') throw new BadRequestError('tty is not supported by skiff: its containers have no terminal');
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw new BadRequestError(`pod ${name} does not have a host assigned`);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new BadRequestError(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  const node = options.nodes.get('', nodeName) as Node;
  const address = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = (node.status as { daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } | undefined)?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (address === undefined || !port) throw new BadRequestError(`node ${nodeName} does not serve exec (no InternalIP or kubelet port in its status)`);
  const query = new URLSearchParams();
  for (const word of command) query.append('command', word);
  for (const stream of ['stdin', 'stdout', 'stderr']) query.set(stream, String(['true', '1'].includes(url.searchParams.get(stream) ?? '')));
  const host = address.includes(':') ? `[${address}]` : address;
  return `ws://${host}:${port}/exec/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(container)}?${query}`;
}

/** Serves exec upgrades on `server`; other upgrade requests are refused with a Status. */
export function registerPodExecUpgrade(server: http.Server, options: PodExecUpgradeOptions): () => void {
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (offered, request) => (request as http.IncomingMessage & { chosenProtocol?: string }).chosenProtocol ?? false });
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined);
    const url = new URL(request.url ?? '/', 'http://skiff');
    const match = EXEC_PATH.exec(url.pathname);
    if (match === null) {
      refuse(socket, new NotFoundError(`the server could not find the requested resource (upgrade of ${url.pathname})`));
      return;
    }
    void relay(request, socket, head, url, match);
  };
  const relay = async (request: http.IncomingMessage, socket: Duplex, head: Buffer, url: URL, match: RegExpExecArray): Promise<void> => {
    let target: string;
    try {
      await options.authorizeUpgrade(request);
      target = kubeletExecUrl(url, options, decodeURIComponent(match[1]!), decodeURIComponent(match[2]!));
      // Checked after the request itself, so a client that falls back to SPDY still hears what was wrong with it.
      if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
        throw new BadRequestError(`skiff serves exec over WebSocket only (${['v5.channel.k8s.io', 'v4.channel.k8s.io'].join(', ')}), not ${String(request.headers.upgrade)}`);
      }
    } catch (error) {
      refuse(socket, error instanceof ApiError ? error : new InternalError(String(error)));
      return;
    }
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
    const upstream = new WebSocket(target, offered, { handshakeTimeout: 30_000 });
    upstream.on('unexpected-response', (_req, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => refuse(socket, response.statusCode === 400 || response.statusCode === 404 ? new BadRequestError(text.trim()) : new InternalError(`the node answered ${response.statusCode}: ${text.trim()}`)));
    });
    upstream.on('error', (error) => {
      if (upstream.readyState === upstream.CONNECTING || !socket.writable) return;
      refuse(socket, new InternalError(`cannot reach the kubelet at ${target}: ${error.message}`));
    });
    upstream.once('open', () => {
      (request as http.IncomingMessage & { chosenProtocol?: string }).chosenProtocol = upstream.protocol;
      sockets.handleUpgrade(request, socket, head, (client) => {
        client.on('message', (data, isBinary) => upstream.send(data, { binary: isBinary }));
        upstream.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
        client.on('close', () => upstream.close());
        upstream.on('close', (code) => client.close(code === 1005 || code === 1006 ? 1000 : code));
        client.on('error', () => upstream.terminate());
      });
    });
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    for (const client of sockets.clients) client.terminate();
    sockets.close();
  };
}

// Plain HTTP requests against a test server, for the writes the watch tests observe.
import type { WatchObject } from './watch-client.js';

export interface ApiResponse {
  status: number;
  body: WatchObject & { items?: WatchObject[] };
}

export async function request(baseUrl: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ApiResponse> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as ApiResponse['body']) : {} };
}

/** Sends a request that must succeed; returns the object and its resourceVersion as a number. */
export async function write(baseUrl: string, method: string, path: string, body?: unknown, contentType?: string): Promise<{ object: WatchObject; revision: number }> {
  const response = await request(baseUrl, method, path, body, contentType);
  if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
  return { object: response.body, revision: Number(response.body.metadata?.resourceVersion) };
}

export function create(baseUrl: string, collection: string, body: unknown): Promise<{ object: WatchObject; revision: number }> {
  return write(baseUrl, 'POST', collection, body);
}

export function mergePatch(baseUrl: string, path: string, patch: unknown): Promise<{ object: WatchObject; revision: number }> {
  return write(baseUrl, 'PATCH', path, patch, 'application/merge-patch+json');
}

export function remove(baseUrl: string, path: string): Promise<{ object: WatchObject; revision: number }> {
  return write(baseUrl, 'DELETE', path);
}

/** A list: its items and the resourceVersion it reflects. */
export async function list(baseUrl: string, path: string): Promise<{ items: WatchObject[]; revision: number }> {
  const response = await request(baseUrl, 'GET', path);
  if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${JSON.stringify(response.body)}`);
  return { items: response.body.items ?? [], revision: Number(response.body.metadata?.resourceVersion) };
}

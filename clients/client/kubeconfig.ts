import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import YAML from 'yaml';

// Reads the parts of a kubeconfig (client-go's clientcmd format) a client
// needs: the current context's server, the CA to trust, and the user's client
// certificate or bearer token. Inline `*-data` fields are base64; file fields
// are relative to the kubeconfig's own folder, as clientcmd resolves them.

export interface ClientConnection {
  server: string;
  /** PEM bundle the server certificate must chain to; undefined trusts the system roots. */
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  insecureSkipTlsVerify?: boolean;
}

export class KubeconfigError extends Error {}

type Named<T> = { name?: string } & T;
interface KubeconfigFile {
  'current-context'?: string;
  clusters?: Array<Named<{ cluster?: Record<string, unknown> }>>;
  users?: Array<Named<{ user?: Record<string, unknown> }>>;
  contexts?: Array<Named<{ context?: { cluster?: string; user?: string } }>>;
}

function pick<T>(entries: Array<Named<T>> | undefined, name: string | undefined, what: string, path: string): T {
  const found = entries?.find((entry) => entry.name === name);
  if (!found) throw new KubeconfigError(`${path}: no ${what} named ${JSON.stringify(name ?? '')}`);
  return found;
}

function material(section: Record<string, unknown>, field: string, base: string): string | undefined {
  const inline = section[`${field}-data`];
  if (typeof inline === 'string') return Buffer.from(inline, 'base64').toString('utf8');
  const file = section[field];
  if (typeof file === 'string') return readFileSync(isAbsolute(file) ? file : resolve(base, file), 'utf8');
  return undefined;
}

/** The connection the kubeconfig at `path` describes, for its current context or `context`. */
export function loadKubeconfig(path: string, context?: string): ClientConnection {
  let parsed: KubeconfigFile;
  try {
    parsed = YAML.parse(readFileSync(path, 'utf8')) as KubeconfigFile;
  } catch (error) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}: ${(error as Error).message}`);
  }
  const base = dirname(path);
  const chosen = pick(parsed.contexts, context ?? parsed['current-context'], 'context', path).context ?? {};
  const cluster = pick(parsed.clusters, chosen.cluster, 'cluster', path).cluster ?? {};
  const user = pick(parsed.users, chosen.user, 'user', path).user ?? {};
  if (typeof cluster.server !== 'string') throw new KubeconfigError(`${path}: cluster ${JSON.stringify(chosen.cluster)} has no server`);
  const tokenFile = typeof user.tokenFile === 'string' ? readFileSync(resolve(base, user.tokenFile), 'utf8').trim() : undefined;
  const connection: ClientConnection = { server: cluster.server };
  const ca = material(cluster, 'certificate-authority', base);
  const cert = material(user, 'client-certificate', base);
  const key = material(user, 'client-key', base);
  const token = typeof user.token === 'string' ? user.token : tokenFile;
  if (ca !== undefined) connection.ca = ca;
  if (cert !== undefined) connection.cert = cert;
  if (key !== undefined) connection.key = key;
  if (token !== undefined) connection.token = token;
  if (cluster['insecure-skip-tls-verify'] === true) connection.insecureSkipTlsVerify = true;
  return connection;
}

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isIP } from 'node:net';
import { addressAt, parseCidr } from '../allocators/cidr.js';
import type { ServerConfig } from '../server-config.js';

// Turns the server's security flags into the TLS material and signing keys the
// server is created with: the PKI folder's by default, or files the operator gives.

export interface SecurityFlags {
  host: string;
  dataPath: string;
  serviceCidr: string;
  insecureServeHttp: boolean;
  pkiDir?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
}

export interface ServerCredentials {
  config: Pick<ServerConfig, 'tls' | 'serviceAccountKeys'>;
  /** The PKI folder in use; a temporary one for ':memory:' that the caller removes on exit. */
  pkiDir: string | undefined;
  temporaryPkiDir: boolean;
}

export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

/** The PKI folder beside the data file (`./data/skiff.db` → `./data/pki`). */
export function defaultPkiDir(dataPath: string): string | undefined {
  return dataPath === ':memory:' ? undefined : join(dirname(dataPath), 'pki');
}

export class SecurityFlagError extends Error {}

export async function resolveServerCredentials(flags: SecurityFlags): Promise<ServerCredentials> {
  if (flags.insecureServeHttp) {
    if (!isLoopbackHost(flags.host)) {
      throw new SecurityFlagError(`--insecure-serve-http serves without TLS or authentication and is allowed only on a loopback --host (127.0.0.1, ::1 or localhost), not ${JSON.stringify(flags.host)}`);
    }
    return { config: { tls: undefined, serviceAccountKeys: undefined }, pkiDir: undefined, temporaryPkiDir: false };
  }
  if ((flags.tlsCertFile === undefined) !== (flags.tlsPrivateKeyFile === undefined)) {
    throw new SecurityFlagError('--tls-cert-file and --tls-private-key-file go together');
  }
  const explicit = flags.pkiDir ?? defaultPkiDir(flags.dataPath);
  const pkiDir = explicit ?? mkdtempSync(join(tmpdir(), 'skiff-pki-'));
  const firstClusterIp = addressAt(parseCidr(flags.serviceCidr), 1n);
  const { ensureClusterPki } = await import('./pki-folder.js');
  const pki = await ensureClusterPki(pkiDir, { hosts: [flags.host, firstClusterIp] });
  const read = (path: string): string => readFileSync(path, 'utf8');
  return {
    config: {
      tls: {
        cert: flags.tlsCertFile ? read(flags.tlsCertFile) : pki.serving.cert,
        key: flags.tlsPrivateKeyFile ? read(flags.tlsPrivateKeyFile) : pki.serving.key,
        clientCa: flags.clientCaFile ? read(flags.clientCaFile) : pki.ca.cert,
      },
      serviceAccountKeys: pki.serviceAccount,
    },
    pkiDir,
    temporaryPkiDir: explicit === undefined,
  };
}

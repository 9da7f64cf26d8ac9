import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateAndKey } from './certificates.js';

// The folder that holds the cluster's secrets, laid out as kubeadm's
// /etc/kubernetes/pki: ca.crt/ca.key, apiserver.crt/apiserver.key and the
// ServiceAccount token signing pair sa.key/sa.pub. Made on first start and
// reused after, so kubeconfigs and tokens handed out stay valid across restarts.

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const SERVING_CERT_FILE = 'apiserver.crt';
export const SERVING_KEY_FILE = 'apiserver.key';
export const SERVICE_ACCOUNT_KEY_FILE = 'sa.key';
export const SERVICE_ACCOUNT_PUBLIC_KEY_FILE = 'sa.pub';

/** The names every API server certificate carries: how Pods and local clients reach it. */
export const API_SERVER_DNS_NAMES = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
export const LOOPBACK_ADDRESSES = ['127.0.0.1', '::1'];

export interface ServingIdentity {
  /** Extra names and addresses: the --host and the first ClusterIP of the service CIDR. */
  hosts: readonly string[];
}

/** A ServiceAccount token signing key pair, PEM (PKCS#8 and SPKI). */
export interface SigningKeyPair {
  privateKey: string;
  publicKey: string;
}

export interface ClusterPki {
  ca: CertificateAndKey;
  serving: CertificateAndKey;
  serviceAccount: SigningKeyPair;
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function writeSecret(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
}

/** Names and addresses a serving certificate must hold (wildcard listen addresses are no name). */
export function servingSubjectNames(identity: ServingIdentity): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames = new Set(API_SERVER_DNS_NAMES);
  const ipAddresses = new Set(LOOPBACK_ADDRESSES);
  for (const host of identity.hosts) {
    if (host === '' || host === '0.0.0.0' || host === '::') continue;
    if (isIpAddress(host)) ipAddresses.add(host);
    else dnsNames.add(host);
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}

function coversAll(certPem: string, names: { dnsNames: string[]; ipAddresses: string[] }): boolean {
  const cert = new X509Certificate(certPem);
  if (new Date(cert.validTo).getTime() < Date.now() + 24 * 60 * 60 * 1000) return false;
  return names.dnsNames.every((name) => cert.checkHost(name, { wildcards: false }) !== undefined)
    && names.ipAddresses.every((ip) => cert.checkIP(ip) !== undefined);
}

function readPair(dir: string, certFile: string, keyFile: string): CertificateAndKey | undefined {
  const certPath = join(dir, certFile);
  const keyPath = join(dir, keyFile);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

/** Reads the CA of a PKI folder; the kubeconfig command signs client certificates with it. */
export function readCertificateAuthority(dir: string): CertificateAndKey {
  const ca = readPair(dir, CA_CERT_FILE, CA_KEY_FILE);
  if (!ca) throw new Error(`no cluster CA in ${dir} (${CA_CERT_FILE} and ${CA_KEY_FILE}); start skiff server with this --pki-dir first`);
  return ca;
}

/**
 * Loads the PKI folder, creating what is missing: the CA, a serving certificate
 * for `identity` (reissued when a name is missing, e.g. a new --host, or it
 * nears expiry) and the ServiceAccount signing pair.
 */
export async function ensureClusterPki(dir: string, identity: ServingIdentity): Promise<ClusterPki> {
  // The X.509 library is large; a server that finds its PKI in place, or serves plain HTTP, never loads it.
  const certificates = (): Promise<typeof import('./certificates.js')> => import('./certificates.js');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = readPair(dir, CA_CERT_FILE, CA_KEY_FILE);
  let caIsNew = false;
  if (!ca) {
    ca = await (await certificates()).createCertificateAuthority('skiff-ca');
    writeSecret(join(dir, CA_KEY_FILE), ca.key);
    writeFileSync(join(dir, CA_CERT_FILE), ca.cert);
    caIsNew = true;
  }
  const names = servingSubjectNames(identity);
  let serving = readPair(dir, SERVING_CERT_FILE, SERVING_KEY_FILE);
  if (!serving || caIsNew || !coversAll(serving.cert, names)) {
    serving = await (await certificates()).issueCertificate(ca, { commonName: 'kube-apiserver', usage: 'server', ...names });
    writeSecret(join(dir, SERVING_KEY_FILE), serving.key);
    writeFileSync(join(dir, SERVING_CERT_FILE), serving.cert);
  }
  const keyPath = join(dir, SERVICE_ACCOUNT_KEY_FILE);
  const publicPath = join(dir, SERVICE_ACCOUNT_PUBLIC_KEY_FILE);
  if (!existsSync(keyPath)) {
    const pair = newSigningKeyPair();
    writeSecret(keyPath, pair.privateKey);
    writeFileSync(publicPath, pair.publicKey);
  }
  const privateKey = readFileSync(keyPath, 'utf8');
  const publicKey = existsSync(publicPath) ? readFileSync(publicPath, 'utf8') : createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { ca, serving, serviceAccount: { privateKey, publicKey } };
}

/** An ES256 (P-256) pair for ServiceAccount tokens. */
export function newSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

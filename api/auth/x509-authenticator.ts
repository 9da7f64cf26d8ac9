import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './user-info.js';

// kube-apiserver's x509 authenticator: a client certificate verified against
// the client CA names its user in the subject's CommonName and its groups in
// the Organization entries.

export type ClientCertificateResult =
  | { kind: 'none' }
  | { kind: 'user'; user: UserInfo }
  | { kind: 'invalid'; reason: string };

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

// The handshake's verdict holds for the connection's life; keep-alive requests reuse it.
const verdicts = new WeakMap<TLSSocket, ClientCertificateResult>();

/** What the TLS handshake proved about the client: nothing, a user, or a certificate that failed verification. */
export function authenticateClientCertificate(socket: TLSSocket): ClientCertificateResult {
  let verdict = verdicts.get(socket);
  if (!verdict) {
    verdict = verify(socket);
    verdicts.set(socket, verdict);
  }
  return verdict;
}

function verify(socket: TLSSocket): ClientCertificateResult {
  const peer = socket.getPeerCertificate();
  if (!peer || Object.keys(peer).length === 0) return { kind: 'none' };
  // rejectUnauthorized is off so that certificates stay optional; OpenSSL's verdict is here.
  if (!socket.authorized) return { kind: 'invalid', reason: String(socket.authorizationError ?? 'unverified client certificate') };
  const commonName = asList(peer.subject?.CN)[0];
  if (!commonName) return { kind: 'invalid', reason: 'client certificate has no common name' };
  return { kind: 'user', user: { name: commonName, groups: asList(peer.subject?.O) } };
}

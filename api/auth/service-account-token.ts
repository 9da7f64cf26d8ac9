import { randomUUID } from 'node:crypto';
import { SignJWT, errors, importPKCS8, importSPKI, jwtVerify } from 'jose';
import type { SigningKeyPair } from '../pki/pki-folder.js';

// Bound ServiceAccount tokens as kube-apiserver issues them
// (pkg/serviceaccount/claims.go): a JWT signed with the cluster's ServiceAccount
// key whose private `kubernetes.io` claim names the namespace and the account
// by name and uid, so a token dies with the account it was issued for.

export const SERVICE_ACCOUNT_USER_PREFIX = 'system:serviceaccount:';
const ALGORITHM = 'ES256';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: Date;
}

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;
type VerifyingKey = Awaited<ReturnType<typeof importSPKI>>;

interface KubernetesClaim {
  namespace?: unknown;
  serviceaccount?: { name?: unknown; uid?: unknown };
}

export class ServiceAccountTokens {
  private constructor(
    private readonly signingKey: SigningKey,
    private readonly verifyingKey: VerifyingKey,
    readonly issuer: string,
  ) {}

  static async create(keys: SigningKeyPair, issuer: string): Promise<ServiceAccountTokens> {
    return new ServiceAccountTokens(await importPKCS8(keys.privateKey, ALGORITHM), await importSPKI(keys.publicKey, ALGORITHM), issuer);
  }

  /** The audiences a token is for when the request names none: the API server itself. */
  get defaultAudiences(): string[] {
    return [this.issuer];
  }

  async issue(account: ServiceAccountRef, audiences: readonly string[], expirationSeconds: number, now = new Date()): Promise<IssuedToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + expirationSeconds;
    const token = await new SignJWT({
      'kubernetes.io': { namespace: account.namespace, serviceaccount: { name: account.name, uid: account.uid } },
    })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(`${SERVICE_ACCOUNT_USER_PREFIX}${account.namespace}:${account.name}`)
      .setAudience([...audiences])
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(randomUUID())
      .sign(this.signingKey);
    return { token, expirationTimestamp: new Date(expiresAt * 1000) };
  }

  /**
   * The account a token was issued for, when it is one of ours (this issuer,
   * this key), meant for this server, and unexpired; undefined otherwise.
   */
  async verify(token: string): Promise<ServiceAccountRef | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.verifyingKey, { issuer: this.issuer, audience: this.defaultAudiences, algorithms: [ALGORITHM] });
      const claim = payload['kubernetes.io'] as KubernetesClaim | undefined;
      const namespace = claim?.namespace;
      const name = claim?.serviceaccount?.name;
      const uid = claim?.serviceaccount?.uid;
      if (typeof namespace !== 'string' || typeof name !== 'string' || typeof uid !== 'string') return undefined;
      if (payload.sub !== `${SERVICE_ACCOUNT_USER_PREFIX}${namespace}:${name}`) return undefined;
      return { namespace, name, uid };
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}

import type { CompactionPolicy } from '../storage/store.js';
import type { TokenAuthenticator } from './auth/token-authenticator.js';
import type { SigningKeyPair } from './pki/pki-folder.js';
import { DEFAULT_WATCH_HUB_OPTIONS, type WatchHubOptions } from './watch/watch-hub.js';
import { DEFAULT_WATCH_STREAM_OPTIONS, type WatchStreamOptions } from './http/watch-stream.js';
import { DEFAULT_LEADER_ELECTION_TIMINGS, type LeaderElectionTimings } from './controllers/leader-election/leader-elector.js';
import { DEFAULT_INFLIGHT_LIMITS, type InflightLimits } from './http/inflight-limit.js';

/** PEM material for serving TLS and verifying client certificates. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** CA bundle client certificates must chain to. */
  clientCa: string;
}

export interface ServerConfig {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** SQLite file path, or ':memory:'. */
  dataPath: string;
  serviceCidr: string;
  /** Inclusive NodePort range, e.g. { from: 30000, to: 32767 }. */
  nodePortRange: { from: number; to: number };
  podCidr: string;
  /** Size of the /N each Node receives from podCidr. */
  nodeCidrMaskSize: number;
  /** Event-log window kept for watch resumption. */
  eventLog: CompactionPolicy;
  /** How often compaction runs, in ms. */
  compactionIntervalMs: number;
  watchHub: WatchHubOptions;
  watchStream: WatchStreamOptions;
  /** A node whose heartbeat is older than this is marked NotReady. */
  nodeMonitorGracePeriodMs: number;
  logLevel: string;
  /** Run the controllers (under leader election); false serves the API only. */
  controllers: boolean;
  leaderElection: LeaderElectionTimings;
  /** Requests in flight at once (read-only, mutating) and watches per connection. */
  inflight: InflightLimits;
  /** An EncryptionConfiguration file (aesgcm, identity): the resources whose stored values are encrypted. */
  encryptionKeyFile?: string;
  /** Where audit.k8s.io/v1 Events are appended, one JSON line per request; '-' is standard output. */
  auditLogPath?: string;
  /**
   * Serves HTTPS and authenticates every request when set; absent, the server
   * speaks plain HTTP and every request is the superuser (--insecure-serve-http;
   * what in-process tests use unless they are about security).
   */
  tls: TlsMaterial | undefined;
  /** Signs and verifies ServiceAccount tokens; a fresh in-memory pair when absent. */
  serviceAccountKeys: SigningKeyPair | undefined;
  /** The `iss` of ServiceAccount tokens, and the audience they are issued for by default. */
  serviceAccountIssuer: string;
  /** Bearer-token sources tried after ServiceAccount tokens (e.g. --token-auth-file). */
  tokenAuthenticators: readonly TokenAuthenticator[];
  /** upstream's --token-auth-file: CSV of static bearer tokens, read once at start. */
  tokenAuthFile?: string;
  /** upstream's --authorization-mode, in order: Node, RBAC, AlwaysAllow. */
  authorizationModes: readonly AuthorizationMode[];
}

export const AUTHORIZATION_MODES = ['Node', 'RBAC', 'AlwaysAllow'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 6443,
  dataPath: './data/skiff.db',
  serviceCidr: '10.96.0.0/16',
  nodePortRange: { from: 30000, to: 32767 },
  podCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  eventLog: { maxEvents: 100_000, maxAgeMs: 60 * 60 * 1000 },
  compactionIntervalMs: 10_000,
  watchHub: DEFAULT_WATCH_HUB_OPTIONS,
  watchStream: DEFAULT_WATCH_STREAM_OPTIONS,
  nodeMonitorGracePeriodMs: 40_000,
  logLevel: 'info',
  controllers: true,
  leaderElection: DEFAULT_LEADER_ELECTION_TIMINGS,
  inflight: DEFAULT_INFLIGHT_LIMITS,
  tls: undefined,
  serviceAccountKeys: undefined,
  // kubeadm's default --service-account-issuer.
  serviceAccountIssuer: 'https://kubernetes.default.svc.cluster.local',
  tokenAuthenticators: [],
  authorizationModes: ['Node', 'RBAC'],
};

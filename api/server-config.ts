import type { CompactionPolicy } from '../storage/store.js';
import { DEFAULT_WATCH_HUB_OPTIONS, type WatchHubOptions } from './watch/watch-hub.js';
import { DEFAULT_WATCH_STREAM_OPTIONS, type WatchStreamOptions } from './http/watch-stream.js';

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
  /** upstream's --token-auth-file: CSV of static bearer tokens, read once at start. */
  tokenAuthFile?: string;
  /** upstream's --authorization-mode, in order: Node, RBAC, AlwaysAllow. */
  authorizationModes: readonly AuthorizationMode[];
}

export const AUTHORIZATION_MODES = ['Node', 'RBAC', 'AlwaysAllow'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
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
  authorizationModes: ['Node', 'RBAC'],
};

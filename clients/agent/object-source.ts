import type { InformerHandlers } from '../client/informer.js';
import type { KubeObject } from '../client/types.js';

/** What the agent's two roles need of an informer; `Informer<T>` fits, and so does a test double. */
export interface ObjectSource<T extends KubeObject> {
  list(): T[];
  /** `namespace` is ignored for cluster-scoped kinds. */
  get(namespace: string | undefined, name: string): T | undefined;
  on<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): this;
  start(): unknown;
  waitForSync(): Promise<void>;
  stop(): Promise<void>;
}

/** One controller of `skiff server`: started when this server leads, stopped when it stops leading or shuts down. */
export interface Controller {
  start(): void;
  stop(): Promise<void> | void;
}

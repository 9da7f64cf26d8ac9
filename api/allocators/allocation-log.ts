/** The slice of a structured (pino) logger the allocators use. */
export interface AllocationLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** For callers that do not want allocation messages. */
export const SILENT_ALLOCATION_LOG: AllocationLog = {
  info: () => undefined,
  warn: () => undefined,
};

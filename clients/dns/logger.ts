/**
 * The slice of pino's API the DNS server logs through, so the CLI can hand in
 * fastify's pino logger (or a child of it) unchanged.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const severity: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One JSON object per line, in pino's field layout (level, time, msg), for when no pino logger is handed in. */
export function jsonLineLogger(write: (line: string) => void, level: LogLevel = 'info'): Logger {
  const threshold = severity[level];
  const log = (name: Exclude<LogLevel, 'silent'>) => (fields: Record<string, unknown>, message: string) => {
    if (severity[name] < threshold) return;
    const err = fields.err instanceof Error ? { type: fields.err.name, message: fields.err.message } : fields.err;
    write(`${JSON.stringify({ level: severity[name], time: Date.now(), ...fields, ...(err === undefined ? {} : { err }), msg: message })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * The slice of pino's API the agent and the DNS server log through, so an
 * embedding process can hand in a pino logger (or a child of it) unchanged.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export const logLevels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

const severity: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** One JSON object per line in pino's layout (level, time, msg), for the CLI where no pino logger is handed in. */
export function jsonLineLogger(write: (line: string) => void, level: LogLevel = 'info', base: Record<string, unknown> = {}): Logger {
  const threshold = severity[level];
  const log = (name: Exclude<LogLevel, 'silent'>) => (fields: Record<string, unknown>, message: string) => {
    if (severity[name] < threshold) return;
    const err = fields.err instanceof Error ? { type: fields.err.name, message: fields.err.message } : fields.err;
    write(`${JSON.stringify({ level: severity[name], time: Date.now(), ...base, ...fields, ...(err === undefined ? {} : { err }), msg: message })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigResult {
  status: string;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  /** dig saw TC=1 over UDP and asked again over TCP. */
  retriedOverTcp: boolean;
  /** Transport of the answer dig printed. */
  transport: 'UDP' | 'TCP' | undefined;
  raw: string;
}

/**
 * Runs the real `dig` against a server on loopback and parses its default
 * output. `+time=2 +tries=1` keeps a broken server from stalling a test.
 */
export async function dig(port: number, args: string[]): Promise<DigResult> {
  const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1', ...args], { timeout: 15_000 }).catch(
    (error: { stdout?: string; message: string }) => {
      if (typeof error.stdout === 'string' && error.stdout !== '') return { stdout: error.stdout };
      throw error;
    },
  );
  return parseDig(stdout);
}

export function parseDig(raw: string): DigResult {
  const status = /status: ([A-Z]+)/.exec(raw)?.[1] ?? 'NO-ANSWER';
  const flags = (/;; flags: ([^;]*);/.exec(raw)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const transport = /;; SERVER: .*\((UDP|TCP)\)/.exec(raw)?.[1] as 'UDP' | 'TCP' | undefined;
  return {
    status,
    flags,
    answer: section(raw, 'ANSWER'),
    authority: section(raw, 'AUTHORITY'),
    additional: section(raw, 'ADDITIONAL'),
    retriedOverTcp: raw.includes('Truncated, retrying in TCP mode'),
    transport,
    raw,
  };
}

function section(raw: string, name: string): DigRecord[] {
  const start = raw.indexOf(`;; ${name} SECTION:\n`);
  if (start === -1) return [];
  const records: DigRecord[] = [];
  for (const line of raw.slice(start).split('\n').slice(1)) {
    if (line.trim() === '') break;
    const [recordName, ttl, , type, ...data] = line.split(/\s+/);
    if (recordName === undefined || type === undefined) continue;
    records.push({ name: recordName, ttl: Number(ttl), type, data: data.join(' ') });
  }
  return records;
}

// A child process for test/cli/sync-per-commit.test.ts: opens a SqliteStore on
// the file given as argument and, for each line "group N" or "sequential N" on
// stdin, writes N objects — all queued for group commit in one tick, or one
// after another, each awaited — then prints "done" (or "error ...").
import { createInterface } from 'node:readline';
import { SqliteStore } from '../../../storage/sqlite-store.js';

const path = process.argv[2];
if (!path) throw new Error('usage: grouped-writer.ts <database file>');
const store = new SqliteStore({ path });
let written = 0;

const write = (): Promise<unknown> => {
  const name = `object-${written++}`;
  return store.transactionGrouped((txn) =>
    txn.create({ resource: 'things', namespace: 'default', name }, (revision) => ({ value: JSON.stringify({ name, revision }), labels: {} })));
};

async function run(command: string): Promise<void> {
  const [mode, count] = command.trim().split(' ');
  const n = Number(count);
  if (mode === 'group') await Promise.all(Array.from({ length: n }, write));
  else if (mode === 'sequential') for (let i = 0; i < n; i++) await write();
  else throw new Error(`unknown command ${command}`);
}

for await (const line of createInterface({ input: process.stdin })) {
  try {
    await run(line);
    process.stdout.write('done\n');
  } catch (error) {
    process.stdout.write(`error ${String(error)}\n`);
  }
}
store.close();

import assert from 'node:assert/strict';
import { SqliteStore } from '../../../storage/sqlite-store.js';
import { AllocationError } from '../../../api/allocators/allocation-error.js';

/** Runs `fn` against a fresh in-memory store, closed afterwards. */
export function withStore(fn: (store: SqliteStore) => void): void {
  const store = new SqliteStore({ path: ':memory:' });
  try {
    fn(store);
  } finally {
    store.close();
  }
}

/** The AllocationError `fn` throws; fails the test when it throws nothing. */
export function failure(fn: () => unknown): AllocationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AllocationError) return error;
    throw error;
  }
  assert.fail('expected an AllocationError');
}

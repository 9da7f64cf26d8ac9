// What an allocator can refuse, in the words of Kubernetes' ipallocator and
// portallocator errors. Allocators know no field paths or HTTP codes: the
// admission hooks turn these into 422 field errors (allocated, not in range)
// or a 500 InternalError (a full range), as the upstream registry does.

export type AllocationFailure = 'allocated' | 'not-in-range' | 'full';

export class AllocationError extends Error {
  constructor(readonly failure: AllocationFailure, message: string) {
    super(message);
    this.name = 'AllocationError';
  }
}

export function isAllocationError(error: unknown): error is AllocationError {
  return error instanceof AllocationError;
}

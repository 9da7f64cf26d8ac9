import jsonpatch from 'fast-json-patch';
import { BadRequestError, RequestEntityTooLargeError } from '../errors.js';
import { cloneJson, isJsonObject, jsonKind } from './json-value.js';
import { UnprocessablePatchError } from './patch-errors.js';

// RFC 6902 JSON patch (`application/json-patch+json`, client-node's default
// patch type), with the apiserver's split between the two kinds of failure
// (k8s.io/apiserver/pkg/endpoints/handlers/patch.go, applyJSPatch):
//   - the body does not decode as a list of operations → 400 BadRequest;
//   - the operations decode but cannot be applied (a failed `test`, a missing
//     path, an unknown `op`) → 422 Invalid, see UnprocessablePatchError.

/** The apiserver's cap on the operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Operation = Parameters<typeof jsonpatch.applyPatch>[1][number];

/** Applies an RFC 6902 patch to a copy of `target`; neither argument is modified. */
export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  const operations = cloneJson(decodeOperations(patch));
  const document = cloneJson(target);
  try {
    return jsonpatch.applyPatch(document, operations, true, true).newDocument;
  } catch (error) {
    throw new UnprocessablePatchError(describeFailure(error));
  }
}

function decodeOperations(patch: unknown): Operation[] {
  if (!Array.isArray(patch)) {
    throw new BadRequestError(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const operation of patch) {
    if (!isJsonObject(operation)) {
      throw new BadRequestError(`json: cannot unmarshal ${jsonKind(operation)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new RequestEntityTooLargeError(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`,
    );
  }
  return patch as Operation[];
}

/** Words the library's failure as github.com/evanphx/json-patch (the apiserver's library) words it. */
function describeFailure(error: unknown): string {
  if (!(error instanceof jsonpatch.JsonPatchError)) return error instanceof Error ? error.message : String(error);
  const operation: Record<string, unknown> = isJsonObject(error.operation) ? error.operation : {};
  const op = String(operation.op);
  const path = String(operation.path);
  switch (error.name) {
    case 'TEST_OPERATION_FAILED':
      return `testing value ${path} failed: test failed`;
    case 'OPERATION_OP_INVALID':
      return `Unexpected kind: ${op}`;
    case 'OPERATION_PATH_UNRESOLVABLE':
    case 'OPERATION_PATH_CANNOT_ADD':
      return `${op} operation does not apply: doc is missing path: "${path}": missing value`;
    case 'OPERATION_FROM_UNRESOLVABLE':
      return `${op} operation does not apply: doc is missing from path: ${String(operation.from)}: missing value`;
    default:
      return `${op} operation failed for path "${path}": ${error.message}`;
  }
}

import { BadRequestError } from '../errors.js';

// A continue token pins the revision of the first page and the last key
// returned, so every later page reads the same snapshot.
export interface ContinueToken {
  revision: number;
  namespace: string;
  name: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: token.revision, ns: token.namespace, n: token.name })).toString('base64url');
}

export function decodeContinue(text: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; ns?: unknown; n?: unknown };
    if (raw.v === 1 && typeof raw.rv === 'number' && Number.isSafeInteger(raw.rv) && raw.rv >= 0 && typeof raw.ns === 'string' && typeof raw.n === 'string') {
      return { revision: raw.rv, namespace: raw.ns, name: raw.n };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError(`invalid continue token: ${JSON.stringify(text)}`);
}

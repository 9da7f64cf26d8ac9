import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { TokenAuthenticator } from './token-authenticator.js';
import { SYSTEM_AUTHENTICATED, type UserInfo } from './user-info.js';

// Static bearer tokens from upstream's --token-auth-file: one CSV record per
// token, `token,user,uid[,"group1,group2"]`. Like kube-apiserver, the file is
// read once at start; changing it needs a restart.

/** A token file that cannot be used; the message names the file and the record. */
export class TokenFileError extends Error {}

export class TokenFileAuthenticator implements TokenAuthenticator {
  private constructor(private readonly users: ReadonlyMap<string, UserInfo>) {}

  static fromFile(path: string): TokenFileAuthenticator {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new TokenFileError(`cannot read token file '${path}': ${(error as Error).message}`);
    }
    return TokenFileAuthenticator.fromCsv(text, path);
  }

  static fromCsv(text: string, source = 'token file'): TokenFileAuthenticator {
    let records: string[][];
    try {
      // Go's encoding/csv with TrimLeadingSpace and a variable field count, as upstream reads it.
      records = parse(text, { relax_column_count: true, ltrim: true, skip_empty_lines: true }) as string[][];
    } catch (error) {
      throw new TokenFileError(`error reading token file '${source}': ${(error as Error).message}`);
    }
    const users = new Map<string, UserInfo>();
    records.forEach((record, index) => {
      if (record.length < 3) {
        throw new TokenFileError(`token file '${source}' must have at least 3 columns (token, user name, user uid), found ${record.length} in record ${index + 1}`);
      }
      const [token, name, uid, groupField] = record as [string, string, string, string | undefined];
      // Upstream skips an empty token with a warning rather than refusing the file.
      if (token === '') return;
      const groups = groupField ? groupField.split(',').filter((group) => group !== '') : [];
      // Every token user is authenticated, as upstream's group adder makes it.
      if (!groups.includes(SYSTEM_AUTHENTICATED)) groups.push(SYSTEM_AUTHENTICATED);
      users.set(token, Object.freeze({ name, uid, groups: Object.freeze(groups) }));
    });
    return new TokenFileAuthenticator(users);
  }

  get size(): number {
    return this.users.size;
  }

  authenticateToken(token: string): UserInfo | undefined {
    return this.users.get(token);
  }
}

// Writes clients/client/generated/openapi.ts, the TypeScript types of
// openapi/openapi.json as openapi-typescript generates them (`npm run openapi`
// runs it after writing the document). The client's wire types are read from
// it, so they cannot drift from the schemas the server validates with;
// test/openapi checks the committed file against a fresh generation.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

export const CLIENT_TYPES_PATH = fileURLToPath(new URL('../clients/client/generated/openapi.ts', import.meta.url));
export const DOCUMENT_PATH = fileURLToPath(new URL('./openapi.json', import.meta.url));

/** The generated module for an OpenAPI document's text. */
export async function generateClientTypes(documentText: string): Promise<string> {
  const ast = await openapiTS(JSON.parse(documentText) as OpenAPI3, { silent: true });
  return `${COMMENT_HEADER}// Generated from openapi/openapi.json by \`npm run openapi\`.\n\n${astToString(ast)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CLIENT_TYPES_PATH, await generateClientTypes(readFileSync(DOCUMENT_PATH, 'utf8')));
  process.stdout.write(`wrote ${CLIENT_TYPES_PATH}\n`);
}

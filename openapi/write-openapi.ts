// Writes openapi/openapi.json from the routes' schemas (`npm run openapi`).
// The file is committed; test/openapi checks that it matches what the routes
// produce, so the specification never drifts from the code.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SkiffServer } from '../api/server.js';

export async function generateOpenApi(): Promise<string> {
  const server = await SkiffServer.create({ dataPath: ':memory:', logLevel: 'silent' });
  try {
    await server.app.ready();
    return `${JSON.stringify(server.app.swagger(), null, 2)}\n`;
  } finally {
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('./openapi.json', import.meta.url));
  writeFileSync(target, await generateOpenApi());
  process.stdout.write(`wrote ${target}\n`);
}

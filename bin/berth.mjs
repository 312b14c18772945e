#!/usr/bin/env node
// `npx berth`: runs the compiled CLI (npm ci builds it through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/berth.mjs', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('berth: the CLI is not built yet; run `npm run build` (npm ci does it for you)\n');
  process.exit(1);
}
await import(compiled);

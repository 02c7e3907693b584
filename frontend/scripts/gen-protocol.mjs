#!/usr/bin/env node
// `npm run gen:protocol`: writes src/lib/protocol.generated.ts from src/lib/protocol.schema.json.
import { writeFile } from 'node:fs/promises';
import { TYPES_PATH, generatedTypes } from './protocol-types.mjs';

await writeFile(TYPES_PATH, await generatedTypes(), 'utf8');
console.log(`gen:protocol: wrote ${TYPES_PATH}`);

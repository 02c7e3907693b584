// Fails when src/lib/protocol.generated.ts is not what `npm run gen:protocol` makes from
// src/lib/protocol.schema.json (the Python side checks the schema against the server's models).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { TYPES_PATH, generatedTypes } from './protocol-types.mjs';

describe('protocol.generated.ts', () => {
  it('is what the generator makes from protocol.schema.json (run `npm run gen:protocol`)', async () => {
    const committed = await readFile(TYPES_PATH, 'utf8');
    expect(committed).toBe(await generatedTypes());
  });
});

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, generateApiTypes } from '../../../scripts/api-types.ts';

describe('the generated client types', () => {
  it('match the OpenAPI document the app serves (run `npm run gen:api-types` when this fails)', async () => {
    expect(await readFile(apiTypesFile, 'utf8')).toBe(await generateApiTypes());
  });
});

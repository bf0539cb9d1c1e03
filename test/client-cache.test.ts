/**
 * client/apollo-cache.ts is what the supergraph generates, and every object
 * type a client caches has an id or is a value object documented in
 * docs/front-end.md ("Caching"): a new type without `id` fails here until it
 * gets one or is listed there with a reason.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { apiObjectTypes, CLIENT_CACHE_FILE, formattedClientCache, readApiSchema, valueObjectTypes } from '../schema/client-cache.js';

/** The type names in the first column of the table in the "Caching" section. */
function documentedValueObjects(): string[] {
  const doc = readFileSync(new URL('../docs/front-end.md', import.meta.url), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith('Caching'));
  if (section === undefined) throw new Error('docs/front-end.md has no "Caching" section');
  return [...section.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1] ?? '');
}

describe('client cache configuration', () => {
  const schema = readApiSchema();

  it('is current (run `npm run client:generate` after changing a schema)', async () => {
    expect(readFileSync(CLIENT_CACHE_FILE, 'utf8')).toBe(await formattedClientCache());
  });

  it('has an id or a documented reason for every object type', () => {
    expect(valueObjectTypes(schema)).toEqual(documentedValueObjects().sort((a, b) => a.localeCompare(b)));
  });

  it('gives every id a non-null ID type', () => {
    const loose = apiObjectTypes(schema).filter((type) => {
      const id = type.getFields()['id'];
      return id !== undefined && String(id.type) !== 'ID!';
    });
    expect(loose.map((type) => type.name)).toEqual([]);
  });
});

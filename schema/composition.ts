/**
 * Composes the four subgraph SDLs into the supergraph with
 * @apollo/composition, and tells whether the checked-in file is current and
 * every composition hint has been looked at and accepted.
 */
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { Supergraph, printSchema } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { DEFAULT_PORTS, SUBGRAPH_NAMES, subgraphSdl } from '@lianxin/shared';

export const SUPERGRAPH_FILE = new URL('./supergraph.graphql', import.meta.url);
/** The API schema clients see, for codegen and editors: production turns introspection off for most tokens. */
export const CLIENT_SCHEMA_FILE = new URL('./client.graphql', import.meta.url);
const ACCEPTED_HINTS_FILE = new URL('./accepted-hints.json', import.meta.url);

export interface Hint {
  code: string;
  message: string;
}

export interface CompositionReport {
  supergraphSdl: string | null;
  errors: string[];
  /** Hints not listed in accepted-hints.json. */
  newHints: Hint[];
}

const HEADER = '# Composed by `npm run compose` from subgraphs/*/schema.graphql: do not edit.\n';

export function composeSupergraph(): CompositionReport {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({
      name,
      // Only a default: the gateway routes to the URLs in its configuration.
      url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(subgraphSdl(new URL(`../subgraphs/${name}/schema.graphql`, import.meta.url))),
    })),
  );
  const accepted = JSON.parse(readFileSync(ACCEPTED_HINTS_FILE, 'utf8')) as Hint[];
  const isAccepted = (hint: Hint) => accepted.some((a) => a.code === hint.code && a.message === hint.message);
  const hints = (result.hints ?? []).map((hint) => ({ code: hint.definition.code, message: hint.message }));
  if (result.errors) {
    return { supergraphSdl: null, errors: result.errors.map((error) => error.message), newHints: hints.filter((h) => !isAccepted(h)) };
  }
  return { supergraphSdl: HEADER + result.supergraphSdl, errors: [], newHints: hints.filter((h) => !isAccepted(h)) };
}

/** The supergraph as checked in. */
export function readCheckedInSupergraph(): string {
  return readFileSync(SUPERGRAPH_FILE, 'utf8');
}

const CLIENT_HEADER = '# The API schema of schema/supergraph.graphql, written by `npm run compose`: do not edit.\n\n';

/**
 * The schema a client of the gateway sees: the supergraph without its
 * federation machinery (`join__`/`link__` definitions, `@inaccessible`
 * elements), as Apollo's own API-schema function derives it, the same one the
 * gateway serves.
 */
export function clientSchemaOf(supergraphSdl: string): string {
  return CLIENT_HEADER + printSchema(Supergraph.build(supergraphSdl).apiSchema());
}

/** The client schema as checked in, or null when there is none yet. */
export function readCheckedInClientSchema(): string | null {
  try {
    return readFileSync(CLIENT_SCHEMA_FILE, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The nullability rule on the composed supergraph (schema/nullability.ts):
 * the checked-in graph keeps it, and the checker catches each kind of breach
 * when one is planted, in a small graph and in the real one.
 */
import { describe, expect, it } from '@jest/globals';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, subgraphSdl } from '@lianxin/shared';
import { readCheckedInSupergraph } from '../schema/composition.js';
import { nullabilityViolations } from '../schema/nullability.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@external", "@requires"])';

/** Composes subgraph SDLs (name → SDL) into a supergraph, failing the test on a composition error. */
function compose(subgraphs: Record<string, string>): string {
  const result = composeServices(Object.entries(subgraphs).map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(`${LINK}\n${sdl}`) })));
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
}

/** A small graph that keeps the rule: people owns Person, recognition adds badges to it and refers to it. */
const goodPeople = `
  type Query { person(id: ID!): Person }
  type Person @key(fields: "id") { id: ID! name: String! friends: [Person!]! }
`;
const goodRecognition = `
  type Query { badgeKinds: [String!] }
  type Mutation { badgeAward(personId: ID!): Badge }
  type Person @key(fields: "id") { id: ID! badges: [Badge!] }
  type Badge @key(fields: "id") { id: ID! name: String! holder: Person coHolders: [Person]! }
`;

describe('the composed graph', () => {
  it('keeps the rule: nullable root fields, contributed fields and references to other subgraphs’ entities', () => {
    expect(nullabilityViolations(readCheckedInSupergraph())).toEqual([]);
  });

  it('catches a non-null reference planted back into a real subgraph', () => {
    const subgraphs = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, subgraphSdl(new URL(`../subgraphs/${name}/schema.graphql`, import.meta.url))]));
    const planted = subgraphs['recognition']!.replace('  holder: Person\n', '  holder: Person!\n');
    expect(planted).not.toBe(subgraphs['recognition']);
    const result = composeServices(
      SUBGRAPH_NAMES.map((name) => ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(name === 'recognition' ? planted : subgraphs[name]!) })),
    );
    if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
    expect(nullabilityViolations(result.supergraphSdl)).toEqual([
      'Badge.holder (recognition): Person is owned by people, so a reference to it from recognition must be nullable, not Person!',
    ]);
  });
});

describe('the checker', () => {
  it('finds nothing in a graph that keeps the rule, where the owner’s own fields and key fields stay non-null', () => {
    // `Person.friends: [Person!]!` is people's own list of its own entity; `Person.id` travels in every reference.
    expect(nullabilityViolations(compose({ people: goodPeople, recognition: goodRecognition }), { Person: 'people' })).toEqual([]);
  });

  it('catches non-null root fields, of queries and of mutations, lists included', () => {
    const bad = compose({
      people: goodPeople.replace('person(id: ID!): Person', 'person(id: ID!): Person!'),
      recognition: goodRecognition.replace('badgeKinds: [String!]', 'badgeKinds: [String!]!').replace('): Badge }', '): Badge! }'),
    });
    expect(nullabilityViolations(bad, { Person: 'people' })).toEqual([
      'Mutation.badgeAward (recognition): a root field must be nullable, not Badge!',
      'Query.person (people): a root field must be nullable, not Person!',
      'Query.badgeKinds (recognition): a root field must be nullable, not [String!]!',
    ]);
  });

  it('catches a non-null field that a subgraph other than the owner adds to an entity', () => {
    const bad = compose({ people: goodPeople, recognition: goodRecognition.replace('badges: [Badge!]', 'badges: [Badge!]!') });
    expect(nullabilityViolations(bad, { Person: 'people' })).toEqual([
      'Person.badges (recognition): Person is owned by people, so a field another subgraph serves must be nullable, not [Badge!]!',
    ]);
  });

  it('catches a non-null reference to another subgraph’s entity, alone or as the items of a list', () => {
    const bad = compose({
      people: goodPeople,
      recognition: goodRecognition.replace('holder: Person', 'holder: Person!').replace('coHolders: [Person]!', 'coHolders: [Person!]'),
    });
    expect(nullabilityViolations(bad, { Person: 'people' })).toEqual([
      'Badge.holder (recognition): Person is owned by people, so a reference to it from recognition must be nullable, not Person!',
      'Badge.coHolders (recognition): Person is owned by people, so a reference to it from recognition must be nullable, not [Person!]',
    ]);
  });

  it('catches a non-null field that requires another subgraph’s fields, even on the owner’s own type', () => {
    const bad = compose({
      people: goodPeople.replace('friends: [Person!]! }', 'friends: [Person!]! badgeCount: Int @external title: String! @requires(fields: "badgeCount") }'),
      recognition: goodRecognition.replace('badges: [Badge!] }', 'badges: [Badge!] badgeCount: Int }'),
    });
    expect(nullabilityViolations(bad, { Person: 'people' })).toEqual(['Person.title (people): a field that requires fields of another subgraph must be nullable, not String!']);
  });

  it('refuses an entity that several subgraphs declare without an owner, and an owner that is stale or wrong', () => {
    const good = compose({ people: goodPeople, recognition: goodRecognition });
    expect(nullabilityViolations(good, {})).toEqual(['Person: an entity that people, recognition declare has no owner in the map of owners']);
    expect(nullabilityViolations(good, { Person: 'people', Household: 'people' })).toEqual(['Household: named in the map of owners but not an entity of the supergraph']);
    expect(nullabilityViolations(good, { Person: 'points' })[0]).toBe('Person: its owner points does not declare it with a key that resolves it');
  });
});

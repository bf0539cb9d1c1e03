/**
 * The events requests applies from other subgraphs (docs/events.md): the
 * people subgraph's persons registered and its changes to regions, teams,
 * households and building captains, kept in the directory read model, and
 * its caretaker assignments, kept as caseloads. What
 * requests publishes is in publish.ts.
 */
import { defineConsumer, type EventConsumer } from '@lianxin/shared';
import { caseloadHandlers } from '../caseloads/events.js';
import { directoryHandlers } from '../directory/events.js';

/** Requests' consumer: its inbox, cursors and dead letters live in schema `requests`. */
export const requestsConsumer: EventConsumer = defineConsumer({
  schema: 'requests',
  handlers: { people: { ...directoryHandlers, ...caseloadHandlers } },
});

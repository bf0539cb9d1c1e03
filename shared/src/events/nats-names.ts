/**
 * The names of the NATS JetStream streams, subjects and durable consumers
 * events travel through, apart from the client in ./nats.js so that naming
 * them does not load it.
 */

/** The stream holding `source`'s events. */
export function natsStreamName(source: string): string {
  return `LIANXIN_EVENTS_${source.toUpperCase()}`;
}

/** The subjects of `source`'s stream. */
export function natsSubjects(source: string): string {
  return `lianxin.events.${source}.>`;
}

/** The durable consumer through which `consumer` reads `source`'s stream. */
export function natsDurableName(consumer: string, source: string): string {
  return `${consumer}-${source}`;
}

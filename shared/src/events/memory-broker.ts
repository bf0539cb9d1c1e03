/**
 * A broker kept in memory: the shape a NATS JetStream or Kafka transport
 * takes (the relay publishes, each consumer pulls and acknowledges after its
 * inbox transaction commits), for tests and for one process that wants to
 * exercise the broker path. Nothing survives the process, so it is no
 * production transport.
 */
import type { EventEnvelope } from './outbox.js';
import type { EventPublisher, EventTransport } from './transport.js';

export interface MemoryBroker {
  publisher: EventPublisher;
  transport: EventTransport;
  /** Every message published for `source`, duplicates included. */
  messages(source: string): readonly EventEnvelope[];
}

export function createMemoryBroker(): MemoryBroker {
  const streams = new Map<string, EventEnvelope[]>();
  /** Acknowledged offset per consumer and source, like a durable consumer's ack floor. */
  const acknowledged = new Map<string, number>();
  const stream = (source: string): EventEnvelope[] => {
    let messages = streams.get(source);
    if (!messages) {
      messages = [];
      streams.set(source, messages);
    }
    return messages;
  };
  return {
    publisher: {
      async publish(source, events) {
        // No de-duplication: a republished batch reaches consumers twice, as at-least-once delivery allows.
        stream(source).push(...events.map((event) => ({ ...event, payload: structuredClone(event.payload) })));
      },
    },
    transport: {
      feed(consumer, source) {
        const key = `${consumer}\u0000${source}`;
        const floor = () => acknowledged.get(key) ?? 0;
        return {
          async hasWaiting() {
            return stream(source).length > floor();
          },
          async fetch(_tx, limit) {
            const start = floor();
            const events = stream(source).slice(start, start + limit);
            return {
              events,
              acknowledge: async () => undefined,
              async settle() {
                acknowledged.set(key, Math.max(floor(), start + events.length));
              },
            };
          },
        };
      },
    },
    messages: (source) => stream(source),
  };
}

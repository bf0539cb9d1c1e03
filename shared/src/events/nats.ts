/**
 * Events over NATS JetStream, for subgraphs on separate databases: each
 * producer's relay publishes its outbox to a stream of its own, and each
 * consumer pulls from a durable consumer per source into its inbox.
 *
 * - Stream `LIANXIN_EVENTS_<SOURCE>`, subjects `lianxin.events.<source>.>`,
 *   file storage; every event is published on
 *   `lianxin.events.<source>.<event type>` with message id = event id, so a
 *   relay's re-send within the duplicate window is dropped by JetStream, and
 *   `publish` resolves only once every message's PubAck came back.
 * - Durable pull consumer `<consumer>-<source>` on that stream, explicit ack,
 *   delivering everything from the start. The feed fetches into a small
 *   buffer outside any database transaction, hands the buffered envelopes to
 *   the inbox transaction, and acknowledges them once it committed; a batch
 *   whose transaction failed is nak'ed with a growing delay.
 *
 * Order within an aggregate and exactly one effect per event stay the inbox's
 * job (it applies by aggregate sequence and is keyed by event id): JetStream
 * delivers at least once, and redeliveries come after newer messages.
 */
import { connect } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamError,
  StorageType,
  jetstream,
  jetstreamManager,
  type Consumer,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { StartupError } from '../startup.js';
import type { EventEnvelope, JsonObject } from './outbox.js';
import { natsDurableName, natsStreamName, natsSubjects } from './nats-names.js';
import { checkSchemaName } from './tables.js';
import type { EventFeed, EventPublisher, EventTransport, ReceivedBatch } from './transport.js';

/** The subject one event is published on: its type, with anything a subject may not hold replaced. */
function subjectOf(source: string, type: string): string {
  const token = type.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+|\.+$/g, '') || 'event';
  return `lianxin.events.${source}.${token}`;
}

const ms = (millis: number): number => millis * 1_000_000;

export interface NatsEventsOptions {
  /** `nats://host:port`, or several separated by commas. */
  url: string;
  /** The connection's name, as the server's monitoring shows it. */
  name?: string;
  logger?: Logger;
  /** How long JetStream remembers a message id to drop a re-send (default 2 minutes). */
  duplicateWindowMs?: number;
  /** How long a delivered message may stay unacknowledged before JetStream delivers it again (default 30 s). */
  ackWaitMs?: number;
  /** Most messages a feed fetches ahead into its buffer (default 100). */
  fetchSize?: number;
  /** Longest a publish waits for its PubAck (default 10 s). */
  publishTimeoutMs?: number;
}

/** A NATS connection with the JetStream publisher and transport on it. */
export interface NatsEvents {
  publisher: EventPublisher;
  transport: EventTransport;
  /** Whether the connection is up now (it reconnects by itself when it is not). */
  isConnected(): boolean;
  /** Gives back buffered messages, then drains and closes the connection. */
  close(): Promise<void>;
}

/** What a message carries: the envelope as JSON, the time as ISO text. */
const wireEnvelope = z.object({
  id: z.string().uuid(),
  source: z.string().min(1),
  type: z.string().min(1),
  aggregateType: z.string().min(1),
  aggregateId: z.string().min(1),
  sequence: z.number().int().positive(),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.string().datetime({ offset: true }),
});

function encode(event: EventEnvelope): string {
  return JSON.stringify({ ...event, occurredAt: event.occurredAt.toISOString() });
}

/** The envelope a message carries; throws saying why when it carries none. */
export function decodeEnvelope(data: Uint8Array): EventEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(data));
  } catch {
    throw new Error('not JSON');
  }
  const parsed = wireEnvelope.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`);
  }
  return { ...parsed.data, payload: parsed.data.payload as JsonObject, occurredAt: new Date(parsed.data.occurredAt) };
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/**
 * Connects to NATS, retrying for ever (the first connection too), and
 * returns the publisher and transport on that connection.
 */
export async function connectNatsEvents(options: NatsEventsOptions): Promise<NatsEvents> {
  const nc = await connect({
    servers: options.url.split(',').map((server) => server.trim()),
    name: options.name ?? 'lianxin',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
  });
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        options.logger?.warn({ server: status.server }, 'NATS connection lost; reconnecting');
      } else if (status.type === 'reconnect') {
        connected = true;
        options.logger?.info({ server: status.server }, 'NATS connection back');
      }
    }
  })();
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (error) {
    await nc.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(`NATS at ${options.url} offers no JetStream (start nats-server with -js): ${reason}`);
  }
  const js = jetstream(nc, { timeout: options.publishTimeoutMs ?? 10_000 });
  const feeds: NatsFeed[] = [];
  return {
    publisher: natsPublisher(js, jsm, options),
    transport: {
      feed(consumer, source) {
        checkSchemaName(consumer);
        checkSchemaName(source);
        let feed = feeds.find((candidate) => candidate.consumer === consumer && candidate.source === source);
        if (!feed) {
          feed = new NatsFeed(js, jsm, consumer, source, { ...options, isConnected: () => connected && !nc.isClosed() });
          feeds.push(feed);
        }
        return feed;
      },
    },
    isConnected: () => connected && !nc.isClosed(),
    async close() {
      for (const feed of feeds) feed.release();
      if (!nc.isClosed()) await nc.drain();
    },
  };
}

/** The relay's side: makes sure the source's stream exists (once per process), then publishes and waits for every PubAck. */
function natsPublisher(js: JetStreamClient, jsm: JetStreamManager, options: NatsEventsOptions): EventPublisher {
  const ensured = new Set<string>();
  return {
    async publish(source, events) {
      checkSchemaName(source);
      if (!ensured.has(source)) {
        await ensureStream(jsm, source, options.duplicateWindowMs ?? 120_000);
        ensured.add(source);
      }
      try {
        // Sent in order on one connection, acknowledged together: the batch is stored when every PubAck is in.
        await Promise.all(events.map((event) => js.publish(subjectOf(source, event.type), encode(event), { msgID: event.id })));
      } catch (error) {
        // The stream may be gone (deleted by an operator): the next attempt makes sure of it again.
        ensured.delete(source);
        throw error;
      }
    },
  };
}

/** Creates `source`'s stream, or brings an existing one to this configuration. */
async function ensureStream(jsm: JetStreamManager, source: string, duplicateWindowMs: number): Promise<void> {
  const name = natsStreamName(source);
  const config = { subjects: [natsSubjects(source)], storage: StorageType.File, duplicate_window: ms(duplicateWindowMs) };
  try {
    await jsm.streams.info(name);
  } catch (error) {
    if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      await jsm.streams.add({ name, ...config });
      return;
    } catch (addError) {
      // Another relay created it meanwhile: fall through to the update.
      if (isApiError(addError, JetStreamApiCodes.StreamNotFound)) throw addError;
    }
  }
  await jsm.streams.update(name, { subjects: config.subjects, duplicate_window: config.duplicate_window });
}

/** Delay before JetStream delivers again a message whose inbox transaction failed: 1 s, doubling to 30 s. */
function nakDelayMs(message: JsMsg): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, message.info.deliveryCount - 1));
}

/**
 * One consumer's feed of one source over its durable consumer. Messages are
 * fetched into `buffered` by `hasWaiting`, outside any transaction; `fetch`
 * moves a batch to `taken`; `settle` acknowledges it. A batch still taken
 * at the next call was not settled (its transaction failed): it is nak'ed,
 * so JetStream delivers it again after a delay.
 */
class NatsFeed implements EventFeed {
  private buffered: { message: JsMsg; event: EventEnvelope }[] = [];
  private taken: JsMsg[] = [];
  private handle: Consumer | null = null;
  private waitingForStream = false;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly consumer: string,
    readonly source: string,
    private readonly options: NatsEventsOptions & { isConnected?: () => boolean },
  ) {}

  async hasWaiting(): Promise<boolean> {
    this.giveBackUnsettled();
    if (this.buffered.length > 0) return true;
    if (this.options.isConnected && !this.options.isConnected()) return false;
    const handle = await this.consumerHandle();
    if (!handle) return false;
    try {
      const info = await handle.info();
      // Nothing new and nothing out for redelivery: one request per idle poll.
      if (info.num_pending === 0 && info.num_ack_pending === 0) return false;
      const fetchSize = this.options.fetchSize ?? 100;
      const messages = await handle.fetch({
        max_messages: info.num_pending > 0 ? Math.min(fetchSize, info.num_pending) : fetchSize,
        // Returns at once when the pending messages are there; waits this long only for redeliveries still due.
        expires: 2000,
        // Two heartbeats missed before the expiry end the fetch early (a server gone), not one that expires on time.
        idle_heartbeat: 500,
      });
      try {
        for await (const message of messages) this.buffer(message);
      } catch (error) {
        // A fetch the server stopped answering (restarting, a stalled machine): keep what came, the rest is redelivered.
        if (!(error instanceof JetStreamError) || error instanceof JetStreamApiError) throw error;
        this.options.logger?.debug({ consumer: this.consumer, source: this.source, err: error }, 'event fetch from NATS ended early');
      }
    } catch (error) {
      if (isApiError(error, JetStreamApiCodes.ConsumerNotFound) || isApiError(error, JetStreamApiCodes.StreamNotFound)) {
        // Deleted under us (an operator reset the stream): made again on the next pass.
        this.handle = null;
        return false;
      }
      throw error;
    }
    return this.buffered.length > 0;
  }

  async fetch(_tx: unknown, limit: number): Promise<ReceivedBatch> {
    this.giveBackUnsettled();
    const batch = this.buffered.splice(0, limit);
    const messages = batch.map(({ message }) => message);
    this.taken = messages;
    return {
      events: batch.map(({ event }) => event),
      acknowledge: async () => undefined,
      settle: async () => {
        if (this.taken === messages) this.taken = [];
        // Waiting for the server's word keeps the consumer's pending counts exact; a lost ack only means a redelivery.
        await Promise.all(messages.map((message) => message.ackAck().catch(() => false)));
      },
    };
  }

  /** Hands back everything held, for another instance to take at once (on close). */
  release(): void {
    this.giveBackUnsettled();
    for (const { message } of this.buffered.splice(0)) message.nak();
  }

  private giveBackUnsettled(): void {
    for (const message of this.taken) message.nak(nakDelayMs(message));
    this.taken = [];
  }

  /** Decodes a fetched message into the buffer; one that carries no event is terminated (never delivered again) and logged. */
  private buffer(message: JsMsg): void {
    try {
      const event = decodeEnvelope(message.data);
      if (event.source !== this.source) throw new Error(`source ${event.source} on ${this.source}'s stream`);
      this.buffered.push({ message, event });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      message.term(`malformed event: ${reason}`);
      this.options.logger?.error(
        { consumer: this.consumer, source: this.source, subject: message.subject, streamSequence: message.seq, reason },
        'malformed event message terminated',
      );
    }
  }

  /** The durable consumer, created (or brought to this configuration) on first use; null while the source's stream does not exist yet. */
  private async consumerHandle(): Promise<Consumer | null> {
    if (this.handle) return this.handle;
    const stream = natsStreamName(this.source);
    const durable = natsDurableName(this.consumer, this.source);
    const settings = {
      ack_wait: ms(this.options.ackWaitMs ?? 30_000),
      // Never given up: the inbox dead-letters what cannot be applied; delivery itself retries for ever.
      max_deliver: -1,
      filter_subject: natsSubjects(this.source),
    };
    try {
      await this.jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...settings });
    } catch (error) {
      if (isApiError(error, JetStreamApiCodes.StreamNotFound)) {
        // The producer's relay creates its stream with its first batch, which may come after our start.
        if (!this.waitingForStream) this.options.logger?.warn({ consumer: this.consumer, stream }, 'event consumer waits for the producer to create its stream');
        this.waitingForStream = true;
        return null;
      }
      if (!(error instanceof JetStreamApiError)) throw error;
      // It exists with another configuration (an older ack wait): bring it to this one.
      await this.jsm.consumers.update(stream, durable, settings);
    }
    if (this.waitingForStream) this.options.logger?.info({ consumer: this.consumer, stream }, 'event consumer found the stream it was waiting for');
    this.waitingForStream = false;
    this.handle = await this.js.consumers.get(stream, durable);
    return this.handle;
  }
}

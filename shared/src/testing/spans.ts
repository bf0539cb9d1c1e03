/** Spans kept in memory, for tests that read back what a request traced. */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { startTracing, type Tracing } from '../tracing.js';

export type { ReadableSpan };

export interface RecordedSpans {
  tracing: Tracing;
  /** Every span ended so far. */
  spans(): ReadableSpan[];
}

/** Tracing on, each span handed to memory as it ends (no batching, so what has ended is there to read). */
export async function recordSpans(): Promise<RecordedSpans> {
  const exporter = new InMemorySpanExporter();
  const tracing = await startTracing({ processors: [new SimpleSpanProcessor(exporter)] });
  return { tracing, spans: () => exporter.getFinishedSpans() };
}
export { SpanKind } from '@opentelemetry/api';

/**
 * The graph as `npm start` runs it (scripts/graph.ts `startGraph`: every
 * service in one process), started by the benchmark as a child process so
 * that the load generator's CPU is its own. It tells its parent, over the
 * IPC channel `fork` opens, where the gateway and subgraphs listen, and
 * answers the parent's requests: the SQL statements every subgraph has sent
 * so far (counted with each database handle's `onStatement`, as the tests
 * count them), and the points tables (bench/ledger.ts). `close` stops it.
 */
import type { DatabaseHandle, SubgraphName } from '@lianxin/shared';
import { startGraph } from '../scripts/graph.js';
import { onLedger, type LedgerRequest } from './ledger.js';

/** What the child sends once the graph answers. */
export interface OneProcessReady {
  kind: 'ready';
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
}

/** What the parent asks: the statements counted so far, a ledger request, or to close. */
export type OneProcessAsk = { kind: 'statements' } | { kind: 'close' } | { kind: 'ledger'; request: LedgerRequest };

/** A request from the parent, with the id its answer carries. */
export type OneProcessRequest = { id: number } & OneProcessAsk;

/** The answer to request `id`: its value, or why it failed. */
export interface OneProcessAnswer {
  kind: 'answer';
  id: number;
  value?: unknown;
  error?: string;
}

const send = (message: OneProcessReady | OneProcessAnswer) => process.send?.(message);

const graph = await startGraph(process.env);
// Each subgraph's handle and its statistics handle (the same one on PGlite): every statement the graph sends, once.
const handles = new Set<DatabaseHandle>(Object.values(graph.subgraphs).flatMap((subgraph) => [subgraph.database, subgraph.analytics]));
let statements = 0;
for (const handle of handles) handle.onStatement(() => (statements += 1));

process.on('message', (message: OneProcessRequest) => {
  const answer = async (): Promise<unknown> => {
    switch (message.kind) {
      case 'statements':
        return statements;
      case 'ledger':
        return onLedger(graph.subgraphs.points.database.db, message.request);
      case 'close':
        await graph.close();
        return null;
    }
  };
  answer().then(
    (value) => {
      send({ kind: 'answer', id: message.id, value });
      if (message.kind === 'close') {
        process.removeAllListeners('disconnect');
        process.disconnect();
      }
    },
    (error: unknown) => send({ kind: 'answer', id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
// A parent that exits without asking (interrupted) leaves no graph behind.
process.once('disconnect', () => void graph.close().finally(() => process.exit(0)));
send({
  kind: 'ready',
  gatewayUrl: graph.gatewayUrl,
  subgraphUrls: Object.fromEntries(Object.entries(graph.subgraphs).map(([name, subgraph]) => [name, subgraph.server.url])) as Record<SubgraphName, string>,
});

/** What every resolver sees, whatever the subgraph. */
import type { Logger } from './logger.js';
import type { Viewer } from './auth.js';
import type { Database } from './db.js';

export interface BaseContext {
  viewer: Viewer;
  /** Correlates this request's log lines across the gateway and subgraphs. */
  traceId: string;
  logger: Logger;
}

/** What every subgraph's resolvers see besides. */
export interface SubgraphBaseContext extends BaseContext {
  /**
   * Where statistics read (through `analyticsQuery`): a read replica when
   * ANALYTICS_DATABASE_URL is set, on a small pool of its own, every
   * statement limited by ANALYTICS_STATEMENT_TIMEOUT_MS.
   */
  analytics: Database;
  /** ANALYTICS_MIN_CELL: a sensitive statistic withholds buckets counting fewer households or persons (`suppressSmallCells`). */
  analyticsMinCell: number;
}

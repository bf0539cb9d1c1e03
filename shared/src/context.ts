/** What every resolver sees, whatever the subgraph. */
import type { Logger } from './logger.js';
import type { Viewer } from './auth.js';

export interface BaseContext {
  viewer: Viewer;
  /** Correlates this request's log lines across the gateway and subgraphs. */
  traceId: string;
  logger: Logger;
}

/**
 * The recognition part of the demo data set: nothing of its own. Everything
 * recognition holds is derived from the other subgraphs' events (a team
 * joined, a service recorded, a request rated, an account opened, a
 * redemption made), and the other subgraphs' demo data announces its facts
 * as those events, so the demo's badges and tallies follow from the same
 * causes as in service and agree with the hours and passbooks they count.
 * `npm start` applies the demo's events before it answers (see
 * scripts/graph.ts); a recognition started on its own applies them as its
 * event runner reads them.
 */
import type { Database } from '@lianxin/shared';

export async function seedRecognitionDemo(_db: Database): Promise<void> {
  // Deliberately empty: see above.
}

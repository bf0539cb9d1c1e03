/**
 * Batching in waves. DataLoader dispatches a batch on the next tick, so two
 * branches of one query that reach the same loader at slightly different
 * moments (a team's captain and its members, say) cost two statements, and
 * how many depends on when result packets arrive. A request's loaders share
 * this scheduler instead: a batch waits until none of the request's batches
 * is in flight, so everything one wave of results asks for goes out together.
 * The statement count then depends on the shape of the query, never on the
 * number of rows or on timing. (People's loaders and access log use it:
 * `waveLoader` in loaders.ts.)
 */
export interface WaveScheduler {
  /** DataLoader's `batchScheduleFn`. */
  schedule(dispatch: () => void): void;
  /** Wraps a batch's database work so later batches wait for it. */
  track<T>(work: Promise<T>): Promise<T>;
}

export function createWaveScheduler(): WaveScheduler {
  let inFlight = 0;
  let waiting: (() => void)[] = [];
  let flushQueued = false;

  // setImmediate runs after every pending promise continuation, so loads made in reaction to a finished batch join the next wave.
  const flushSoon = (): void => {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      if (inFlight > 0 || waiting.length === 0) return;
      const dispatches = waiting;
      waiting = [];
      for (const dispatch of dispatches) dispatch();
    });
  };

  return {
    schedule(dispatch) {
      waiting.push(dispatch);
      flushSoon();
    },
    track(work) {
      inFlight += 1;
      return work.finally(() => {
        inFlight -= 1;
        flushSoon();
      });
    },
  };
}

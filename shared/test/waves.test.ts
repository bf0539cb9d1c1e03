import { describe, expect, it } from '@jest/globals';
import { DataLoader, createWaveScheduler, waveLoader } from '../src/index.js';

/** A promise settled by hand, for work whose end the test decides. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets the event loop run `count` full turns (each past every pending continuation and setImmediate). */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A loader in `waves` that records each batch it is asked for. */
function recordingLoader(waves: ReturnType<typeof createWaveScheduler>, fail?: Error) {
  const batches: string[][] = [];
  const loader = waveLoader(waves)<string, string>(async (keys) => {
    batches.push([...keys]);
    if (fail) throw fail;
    return keys.map((key) => key.toUpperCase());
  });
  return { loader, batches };
}

describe('the wave scheduler', () => {
  it('dispatches what was scheduled in one tick together, in order, once the tick is over', async () => {
    const waves = createWaveScheduler();
    const dispatched: string[] = [];
    waves.schedule(() => dispatched.push('a'));
    waves.schedule(() => dispatched.push('b'));
    expect(dispatched).toEqual([]);
    await turns(1);
    expect(dispatched).toEqual(['a', 'b']);
  });

  it('holds a batch back while another batch of the request is in flight', async () => {
    const waves = createWaveScheduler();
    const work = deferred<string>();
    const tracked = waves.track(work.promise);
    const dispatched: string[] = [];
    waves.schedule(() => dispatched.push('waiting'));
    await turns(5);
    expect(dispatched).toEqual([]);
    work.resolve('done');
    await expect(tracked).resolves.toBe('done');
    await turns(1);
    expect(dispatched).toEqual(['waiting']);
  });

  it('sends what two branches ask at different moments as one batch, when both wait on the same wave', async () => {
    const waves = createWaveScheduler();
    const { loader, batches } = recordingLoader(waves);
    const slow = deferred<void>();
    // One branch's parent row arrives at once, the other's later: a plain DataLoader would send 'a' alone first.
    const first = waves.track(Promise.resolve()).then(() => loader.load('a'));
    const second = waves.track(slow.promise).then(() => loader.load('b'));
    await turns(5);
    expect(batches).toEqual([]);
    slow.resolve();
    await expect(Promise.all([first, second])).resolves.toEqual(['A', 'B']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('runs the next wave after the first, never beside it', async () => {
    const waves = createWaveScheduler();
    const { loader: parents, batches: parentBatches } = recordingLoader(waves);
    const { loader: children, batches: childBatches } = recordingLoader(waves);
    const results = await Promise.all(['x', 'y'].map(async (key) => children.load(`${await parents.load(key)}-child`)));
    expect(results).toEqual(['X-CHILD', 'Y-CHILD']);
    expect(parentBatches).toEqual([['x', 'y']]);
    expect(childBatches).toEqual([['X-child', 'Y-child']]);
  });

  it('passes a failed batch on to its loads and still lets the next wave go', async () => {
    const waves = createWaveScheduler();
    const broken = new Error('the database went away');
    const { loader: failing } = recordingLoader(waves, broken);
    const { loader: healthy, batches } = recordingLoader(waves);
    const failed = failing.load('a');
    await expect(failed).rejects.toBe(broken);
    await expect(healthy.load('b')).resolves.toBe('B');
    expect(batches).toEqual([['b']]);
  });

  it('rejects tracked work with its own error and releases the waiting batches', async () => {
    const waves = createWaveScheduler();
    const work = deferred<never>();
    const broken = new Error('statement timeout');
    const tracked = waves.track(work.promise);
    const dispatched: string[] = [];
    waves.schedule(() => dispatched.push('after'));
    work.reject(broken);
    await expect(tracked).rejects.toBe(broken);
    await turns(1);
    expect(dispatched).toEqual(['after']);
  });

  it('is what saves the batch: a plain DataLoader sends the same two branches as two batches', async () => {
    const batches: string[][] = [];
    const loader = new DataLoader<string, string>(async (keys) => {
      batches.push([...keys]);
      return [...keys];
    });
    const slow = deferred<void>();
    const first = Promise.resolve().then(() => loader.load('a'));
    const second = slow.promise.then(() => loader.load('b'));
    await first;
    slow.resolve();
    await second;
    expect(batches).toEqual([['a'], ['b']]);
  });
});

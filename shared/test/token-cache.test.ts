/** Remembered token checks and signatures: what is kept, for how long, and what is never kept. */
import { describe, expect, it } from '@jest/globals';
import { SignJWT, decodeJwt } from 'jose';
import { ExpiringCache, ViewerTokenError, acceptedUntil, viewerTokenSigner, viewerTokenVerifier, type Viewer } from '../src/index.js';

/** A clock the test moves by hand. */
function clock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ExpiringCache', () => {
  it('computes a key once and serves it until it lapses, then computes it again', async () => {
    const time = clock(1_000_000);
    const cache = new ExpiringCache<{ n: number }>({ now: time.now, maxAgeMs: 60_000 });
    let computed = 0;
    const compute = async () => ({ value: { n: ++computed }, validUntil: time.now() + 10_000 });
    expect(await cache.get('a', compute)).toEqual({ n: 1 });
    time.advance(9_999);
    expect(await cache.get('a', compute)).toEqual({ n: 1 });
    time.advance(1);
    expect(await cache.get('a', compute)).toEqual({ n: 2 });
    expect(computed).toBe(2);
  });

  it('keeps nothing longer than its maximum age, nor anything already lapsed', async () => {
    const time = clock(1_000_000);
    const cache = new ExpiringCache<{ n: number }>({ now: time.now, maxAgeMs: 5_000 });
    let computed = 0;
    const lateExpiry = async () => ({ value: { n: ++computed }, validUntil: time.now() + 3_600_000 });
    await cache.get('a', lateExpiry);
    time.advance(5_000);
    expect(await cache.get('a', lateExpiry)).toEqual({ n: 2 });
    const lapsed = async () => ({ value: { n: ++computed }, validUntil: time.now() - 1 });
    await cache.get('b', lapsed);
    await cache.get('b', lapsed);
    expect(computed).toBe(4);
  });

  it('remembers no failure: a key that failed is computed again', async () => {
    const cache = new ExpiringCache<{ n: number }>();
    let attempts = 0;
    const failing = async (): Promise<never> => {
      attempts += 1;
      throw new Error('bad signature');
    };
    await expect(cache.get('forged', failing)).rejects.toThrow('bad signature');
    await expect(cache.get('forged', failing)).rejects.toThrow('bad signature');
    expect(attempts).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('peeks without computing, and sets and forgets by hand within the same bounds', () => {
    const time = clock(1_000_000);
    const cache = new ExpiringCache<{ n: number }>({ now: time.now, maxAgeMs: 5_000 });
    expect(cache.peek('a')).toBeUndefined();
    cache.set('a', { value: { n: 1 }, validUntil: time.now() + 3_600_000 });
    cache.set('lapsed', { value: { n: 2 }, validUntil: time.now() });
    expect(cache.peek('a')).toEqual({ n: 1 });
    expect(cache.peek('lapsed')).toBeUndefined();
    expect(cache.size).toBe(1);
    time.advance(5_000);
    // Set with a late expiry, still kept no longer than the maximum age.
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set('b', { value: { n: 3 }, validUntil: time.now() + 1_000 });
    cache.delete('b');
    expect(cache.peek('b')).toBeUndefined();
  });

  it('holds at most its maximum of entries, dropping the least recently used', async () => {
    const cache = new ExpiringCache<{ key: string }>({ max: 2 });
    const keep = async (key: string) => ({ value: { key }, validUntil: Date.now() + 60_000 });
    await cache.get('a', keep);
    await cache.get('b', keep);
    await cache.get('a', keep);
    await cache.get('c', keep);
    expect(cache.size).toBe(2);
    let recomputed = '';
    await cache.get('b', async (key) => ((recomputed = key), keep(key)));
    expect(recomputed).toBe('b');
  });
});

describe('acceptedUntil', () => {
  it('is the expiry plus the clock tolerance, or a short while for a token without one', () => {
    expect(acceptedUntil(1_700_000_000, 30, 0, 60_000)).toBe(1_700_000_030_000);
    expect(acceptedUntil(undefined, 30, 5_000, 60_000)).toBe(65_000);
  });
});

describe('viewer tokens between the gateway and the subgraphs', () => {
  const secret = 'a-viewer-token-secret-of-32-characters';
  const clerk: Viewer = { subject: 'clerk-1', personId: null, roles: ['bank_clerk'], regionIds: ['r1'], merchantId: null };

  it('are signed once per viewer for half their lifetime, then afresh', async () => {
    const time = clock(1_700_000_000_000);
    const sign = viewerTokenSigner(secret, 60, time.now);
    const first = await sign(clerk);
    expect(await sign({ ...clerk })).toBe(first);
    expect(await sign({ ...clerk, roles: ['bank_clerk', 'platform_admin'] })).not.toBe(first);
    expect(await sign({ ...clerk, regionIds: ['r2'] })).not.toBe(first);
    time.advance(29_999);
    expect(await sign(clerk)).toBe(first);
    time.advance(1);
    // A fresh signature, issued at the signer's time: half a lifetime later.
    const second = await sign(clerk);
    expect(second).not.toBe(first);
    expect(decodeJwt(second)).toMatchObject({ iat: decodeJwt(first).iat! + 30, exp: decodeJwt(first).exp! + 30 });
    expect(decodeJwt(first)).toMatchObject({ iat: 1_700_000_000, exp: 1_700_000_060 });
  });

  it('verify to the viewer signed, and a forgery fails every time it is tried', async () => {
    const verify = viewerTokenVerifier(secret);
    const token = await viewerTokenSigner(secret)(clerk);
    expect(await verify(token)).toEqual(clerk);
    expect(await verify(token)).toEqual(clerk);
    const forged = await viewerTokenSigner('another-secret-that-is-long-enough!!')(clerk);
    await expect(verify(forged)).rejects.toBeInstanceOf(ViewerTokenError);
    await expect(verify(forged)).rejects.toBeInstanceOf(ViewerTokenError);
  });

  it('are refused without an expiry', async () => {
    const endless = await new SignJWT({ roles: ['platform_admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('lianxin-gateway')
      .setAudience('lianxin-subgraphs')
      .sign(new TextEncoder().encode(secret));
    await expect(viewerTokenVerifier(secret)(endless)).rejects.toBeInstanceOf(ViewerTokenError);
  });
});

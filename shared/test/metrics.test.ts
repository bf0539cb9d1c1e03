/**
 * The metrics' parts that need no graph: operation labels stay bounded
 * whatever names clients send, METRICS_PORT is read (a port, `off`, or each
 * service's default) and a bad value refused by name, and a listener on a
 * port that is taken stops start-up only when that port was asked for.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import {
  ANONYMOUS_OPERATION,
  ConfigError,
  MAX_OPERATION_NAMES,
  Metrics,
  OTHER_OPERATION,
  StartupError,
  UNKNOWN_OPERATION,
  createLogger,
  loadSubgraphConfig,
  startMetricsServer,
} from '../src/index.js';

describe('operation labels', () => {
  it('name what has no usable name, strip the gateway’s fetch suffix, and cap the names of each service', () => {
    const metrics = new Metrics({ defaultMetrics: false });
    expect(metrics.operationLabel('gateway', undefined)).toBe(UNKNOWN_OPERATION);
    expect(metrics.operationLabel('gateway', null)).toBe(ANONYMOUS_OPERATION);
    expect(metrics.operationLabel('gateway', '')).toBe(ANONYMOUS_OPERATION);
    expect(metrics.operationLabel('gateway', 'not a name')).toBe(OTHER_OPERATION);
    expect(metrics.operationLabel('gateway', 'x'.repeat(101))).toBe(OTHER_OPERATION);
    expect(metrics.operationLabel('points', 'RedeemAtTill__points__2')).toBe('RedeemAtTill');

    metrics.admitOperations(['CatalogueQuery']);
    for (let index = 0; index < MAX_OPERATION_NAMES; index += 1) expect(metrics.operationLabel('gateway', `Invented${index}`)).toBe(`Invented${index}`);
    // Past the cap, new names share one bucket; names already seen, and the catalogue's, keep their own.
    expect(metrics.operationLabel('gateway', 'OneTooMany')).toBe(OTHER_OPERATION);
    expect(metrics.operationLabel('gateway', 'Invented0')).toBe('Invented0');
    expect(metrics.operationLabel('gateway', 'CatalogueQuery')).toBe('CatalogueQuery');
    // Each service has its own cap.
    expect(metrics.operationLabel('people', 'OneTooMany')).toBe('OneTooMany');
  });
});

describe('METRICS_PORT', () => {
  it('defaults to a port per service, takes a port or off, and refuses anything else by name', () => {
    expect(loadSubgraphConfig('people', {}).metrics).toEqual({ port: 9401, explicit: false });
    expect(loadSubgraphConfig('recognition', {}).metrics).toEqual({ port: 9404, explicit: false });
    expect(loadSubgraphConfig('points', { METRICS_PORT: '9100' }).metrics).toEqual({ port: 9100, explicit: true });
    expect(loadSubgraphConfig('points', { METRICS_PORT: '0' }).metrics).toEqual({ port: 0, explicit: true });
    expect(loadSubgraphConfig('points', { METRICS_PORT: 'off' }).metrics).toBeNull();
    for (const value of ['65536', 'on', '-1', '9.5', 'false']) {
      expect(() => loadSubgraphConfig('points', { METRICS_PORT: value })).toThrow(ConfigError);
      expect(() => loadSubgraphConfig('points', { METRICS_PORT: value })).toThrow('invalid configuration: METRICS_PORT');
    }
  });
});

describe('the metrics listener', () => {
  it('stops start-up on a port asked for that is taken, and runs without metrics when a default one is', async () => {
    const squatter = http.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    const logger = createLogger('test', 'silent');
    const metrics = new Metrics({ defaultMetrics: false });
    try {
      await expect(startMetricsServer(metrics, { host: '127.0.0.1', listener: { port, explicit: true }, logger })).rejects.toThrow(StartupError);
      await expect(startMetricsServer(metrics, { host: '127.0.0.1', listener: { port, explicit: true }, logger })).rejects.toThrow(
        `cannot serve metrics on 127.0.0.1:${port}: the port is in use (set METRICS_PORT to change it, or off)`,
      );
      expect(await startMetricsServer(metrics, { host: '127.0.0.1', listener: { port, explicit: false }, logger })).toBeNull();
    } finally {
      squatter.close();
    }
  });

  it('answers GET /metrics and nothing else', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.countRateLimitRefusal('merchant');
    const server = await startMetricsServer(metrics, { host: '127.0.0.1', listener: { port: 0, explicit: true }, logger: createLogger('test', 'silent') });
    try {
      const response = await fetch(server!.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('lianxin_gateway_rate_limit_refusals_total{class="merchant"} 1');
      expect((await fetch(new URL('/', server!.url))).status).toBe(404);
      expect((await fetch(server!.url, { method: 'POST' })).status).toBe(404);
    } finally {
      await server?.close();
    }
  });
});

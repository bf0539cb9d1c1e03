/**
 * The explorer at /explorer: GraphiQL as static files from the gateway's own
 * origin, built from npm packages (explorer-build.ts), so it works with no
 * internet and no page of it can load anything from elsewhere.
 *
 * It is served outside production, and in production only with
 * EXPLORER_ENABLED=true. It is only a page: whatever it sends goes through
 * /graphql like any client's request, with the token pasted into its header
 * editor, so the graph's own rules apply (in production, introspection, and
 * with it the explorer's schema and docs, only for analyst and platform_admin
 * tokens).
 */
import express, { type RequestHandler, type Response } from 'express';
import { ConfigError, sendError, type Logger } from '@lianxin/shared';
import type { GatewayConfig } from './config.js';
import { EXPLORER_DIST_DIR, buildExplorer, builtStamp, explorerStamp } from './explorer-build.js';

export const EXPLORER_PATH = '/explorer';

/**
 * Every explorer response forbids content from any other origin: scripts,
 * styles and requests to this origin only, GraphiQL's fonts and icons as
 * data: URLs, no inline script or style, no plugins, no forms, no framing.
 */
export const EXPLORER_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('content-security-policy', EXPLORER_CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  // File names carry no hash: the browser asks again each time, and the ETag spares the download.
  res.setHeader('cache-control', 'no-cache');
  next();
};

function notBuilt(res: Response): void {
  sendError(res, 503, 'EXPLORER_NOT_BUILT', 'The explorer has not been built: run `npm run build:explorer`.');
}

/**
 * Builds put off until the explorer is first asked for (`prepareExplorer`
 * with `onFirstRequest`), by output folder: the gateway that serves the
 * folder waits for it then, once, instead of every start waiting for it
 * before its first answer.
 */
const deferredBuilds = new Map<string, () => Promise<void>>();

/** GET /explorer (the page) and the files it loads, from `dir`. */
export function explorerRoutes(dir: string = EXPLORER_DIST_DIR): express.Router {
  const router = express.Router();
  router.use(securityHeaders);
  router.use((_req, _res, next) => {
    const build = deferredBuilds.get(dir);
    if (!build) return next();
    // A failed build was logged; the page then answers that it is not built.
    build().then(
      () => next(),
      () => next(),
    );
  });
  router.get('/', (_req, res) => {
    res.sendFile('index.html', { root: dir, cacheControl: false }, (error) => {
      if (error && !res.headersSent) notBuilt(res);
    });
  });
  router.use(express.static(dir, { index: false, redirect: false, cacheControl: false }));
  return router;
}

/** What prepareExplorer found or did ('deferred': left to the first request for the explorer). */
export type ExplorerPreparation = 'disabled' | 'current' | 'built' | 'outdated' | 'deferred';

/**
 * Makes sure the explorer is built before a gateway serves it. Outside
 * production a missing or outdated build is built (a few seconds, once per
 * change of its sources or packages). A production gateway serves the build
 * made with the release ('outdated' when its sources here say otherwise,
 * with a warning) and refuses to start with EXPLORER_ENABLED=true and none:
 * it has no business running a bundler. With `onFirstRequest` (development
 * only) all of this waits for the first request of the explorer instead.
 */
export async function prepareExplorer(
  config: Pick<GatewayConfig, 'nodeEnv' | 'explorer'>,
  logger: Logger,
  { dir = EXPLORER_DIST_DIR, onFirstRequest = false }: { dir?: string; onFirstRequest?: boolean } = {},
): Promise<ExplorerPreparation> {
  if (!config.explorer.enabled) return 'disabled';
  // Outside production the check and any build can wait for the first request of the page (`npm start`, whose
  // first answer would otherwise wait for a bundler); a production gateway must know at start that it has a build.
  if (onFirstRequest && config.nodeEnv !== 'production') {
    let pending: Promise<ExplorerPreparation> | null = null;
    deferredBuilds.set(dir, async () => {
      pending ??= prepareExplorer(config, logger, { dir }).catch((error: unknown) => {
        logger.error({ err: error }, 'the explorer could not be built');
        throw error;
      });
      await pending;
      deferredBuilds.delete(dir);
    });
    return 'deferred';
  }
  const [current, built] = await Promise.all([explorerStamp(), builtStamp(dir)]);
  if (built !== null && (current === null || built === current)) return 'current';
  if (config.nodeEnv === 'production') {
    if (built !== null) {
      logger.warn('the explorer was built from other sources than these; build it again with npm run build:explorer');
      return 'outdated';
    }
    throw new ConfigError(`invalid configuration: EXPLORER_ENABLED: the explorer is not built (nothing in ${dir}); run npm run build:explorer when building the release`);
  }
  if (current === null) throw new ConfigError('the explorer cannot be built: its development dependencies are missing (run npm ci), or set EXPLORER_ENABLED=false');
  logger.info(built === null ? 'building the explorer' : 'building the explorer again: its sources changed');
  const { durationMs } = await buildExplorer(dir);
  logger.info({ durationMs }, 'explorer built');
  return 'built';
}

/** @lianxin/shared: what every Lianxin service is built from. */
export * from './auth.js';
export * from './config.js';
export * from './context.js';
export * from './db.js';
export * from './errors.js';
export * from './http.js';
export * from './loaders.js';
export * from './logger.js';
export * from './paging.js';
export * from './runtime.js';
export * from './scalars.js';
export * from './subgraph.js';
export * from './service.js';
export * from './enums.js';
export * from './ids.js';
export * from './demo.js';
export * from './pg-errors.js';

/** What end-to-end tests give the services they start as processes of their own. */

/** Environment without anything of the caller's that would point a process at another database or port. */
export function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], NODE_ENV: 'development', LOG_LEVEL: 'info', HOST: '127.0.0.1', ...extra };
}

/** What every part of the points demo shares: the passbook serials it may use, and the name its rows are written under. */

/** Demo passbooks use the 9xxxxxxxxxx serial block, which the passbook sequence never reaches. */
export const DEMO_SERIAL_BASE = 90_000_000_000;

/** Who the demo's rows say created them. */
export const DEMO_ACTOR = 'demo-data';

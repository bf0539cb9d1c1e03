/** `npm run start:points`: the points subgraph as its own process. */
import { runMain, runSubgraphProcess } from '@lianxin/shared';
import { pointsSubgraph } from './index.js';

runMain(() => runSubgraphProcess(pointsSubgraph));

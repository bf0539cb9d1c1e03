/** `npm run start:requests`: the requests subgraph as its own process. */
import { runMain, runSubgraphProcess } from '@lianxin/shared';
import { requestsSubgraph } from './index.js';

runMain(() => runSubgraphProcess(requestsSubgraph));

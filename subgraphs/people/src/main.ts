/** `npm run start:people`: the people subgraph as its own process. */
import { runMain, runSubgraphProcess } from '@lianxin/shared';
import { peopleSubgraph } from './index.js';

runMain(() => runSubgraphProcess(peopleSubgraph));

/** `npm run start:recognition`: the recognition subgraph as its own process. */
import { runMain, runSubgraphProcess } from '@lianxin/shared';
import { recognitionSubgraph } from './index.js';

runMain(() => runSubgraphProcess(recognitionSubgraph));

// `npm run bench`: every benchmark in one run, each printing its figures and
// the ratios to its references. Pass names to run a subset: npm run bench -- api watch
import { runAgentBench } from './agent-bench.js';
import { runAllocationBench } from './allocation-bench.js';
import { runApiBench } from './api-bench.js';
import { runAuthzBench } from './authz-bench.js';
import { runDnsBench } from './dns-bench.js';
import { runEndpointsBench } from './endpoints-bench.js';
import { runWatchBench } from './watch-bench.js';

const benches: Record<string, () => Promise<void>> = {
  api: runApiBench,
  authz: runAuthzBench,
  allocation: runAllocationBench,
  endpoints: runEndpointsBench,
  watch: runWatchBench,
  dns: runDnsBench,
  agent: runAgentBench,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  await run();
}

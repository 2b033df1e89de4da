// Run by spec/bench/benchSources.spec.ts in a child: says which rx-anthropic `rx-anthropic` resolved to.
import { createClient } from 'rx-anthropic';

// tsx's transform of the TypeScript sources names every function with a __name call; the built package has none.
process.stdout.write(createClient.toString().includes('__name') ? 'lib' : 'dist');

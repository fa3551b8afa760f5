import type { CrsConfig } from '@rampart/rules-crs4';
import { ConformanceError } from './errors';
import type { InProcessWaf } from './types';

/**
 * A module that builds the WAF under test for in-process runs. `conformance --waf MODULE` loads MODULE and calls
 * its `createInProcessWaf(config)` with the `crs-ci` configuration.
 */
export interface WafFactoryModule {
  createInProcessWaf(config: CrsConfig): Promise<InProcessWaf> | InProcessWaf;
}

/**
 * The default factory for the Rampart engine. The engine's transaction API is being written at the same time as
 * this harness: until the adapter is written here, in-process runs without `--waf` fail with this error rather than
 * pretend to test something.
 */
export function createEngineWaf(_config: CrsConfig): Promise<InProcessWaf> {
  return Promise.reject(
    new ConformanceError(
      'USAGE',
      'the in-process adapter for @rampart/engine is not written yet (conformance/src/engine-waf.ts); use --waf MODULE or HTTP mode (--target host:port --log FILE)',
    ),
  );
}

import type { WafOptions } from '@rampart/engine';

/** `block`: interruptions are answered (SecRuleEngine On). `detect`: rules run and log only (DetectionOnly). `off`: nothing runs. */
export type WafMode = 'block' | 'detect' | 'off';

export interface CrsOptions {
  /** CRS's blocking paranoia level, 1 (default, fewest false positives) to 4. */
  readonly paranoia?: 1 | 2 | 3 | 4;
  /** A CRS copy to use. Default: $RAMPART_CRS_DIR, `../shared/crs4`, then the copy downloaded into the cache. */
  readonly dir?: string;
  /**
   * When no copy is found: download the release archive once into `~/.cache/rampart` (verified file by file against
   * the checksums shipped in @rampart/rules-crs4). Default true; set false where servers must not reach the network,
   * and run `npx rampart crs fetch` (or set RAMPART_CRS_DIR) when deploying.
   */
  readonly download?: boolean;
}

export interface CreateWafOptions {
  /** OWASP CRS with the recommended engine settings (the default: paranoia level 1), or false for your own rules only. */
  readonly crs?: CrsOptions | false;
  /** Default `detect`: start by watching what CRS would block in your logs, then switch to `block`. */
  readonly mode?: WafMode;
  /** SecLang loaded before the CRS rules: rules that exclude at run time (`ctl:ruleRemoveById` in phase 1). */
  readonly before?: string;
  /** SecLang loaded after the CRS rules: your own rules, `SecRuleRemoveById`, `SecRuleUpdateTargetById`. */
  readonly after?: string;
  /** Where relative `Include`s in `before` and `after` resolve (default: the current directory). */
  readonly baseDir?: string;
  /** Receives each error-log line (ModSecurity's format: one per logged rule match). Default: stderr; false: discard. */
  readonly errorLog?: ((line: string) => void) | false;
  /** Receives what the WAF tells about itself (a CRS download). Default: stderr. */
  readonly log?: (message: string) => void;
  /** Anything else for the engine (a collection store, `@rbl` DNS, ...). */
  readonly engine?: Omit<WafOptions, 'directives' | 'files' | 'baseDir' | 'errorLog'>;
}

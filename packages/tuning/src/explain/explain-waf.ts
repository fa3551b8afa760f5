import { createWaf, MemoryCollectionStore, type CompileProblem, type Waf } from '@rampart/engine';

/** The rules to explain with: SecLang files (`-f`), or directives with the directory their paths are relative to (the default CRS). */
export type ExplainConfig = { files: readonly string[] } | { directives: string; baseDir: string };

export interface ExplainWafOptions {
  onWarning?: (warning: CompileProblem) => void;
  /** Largest file the configuration may read (as the agent's --max-file-size). */
  maxFileBytes?: number;
}

/**
 * The WAF `rampart explain` runs a request through: the configuration compiled as the agent compiles it, with
 * nothing written anywhere. Explaining a request must not add a record to the production audit log, lines to
 * its debug log, or counts to its persistent collections (IP, SESSION...): the audit and debug logs the
 * configuration names are detached (the engine opens their files when it compiles, and writes nothing to
 * them), and collections are kept in memory, empty at the start. (A rule that
 * depends on earlier requests' counts, such as CRS's DoS plugin, therefore sees a first request.)
 *
 * @example const waf = explainWaf({ files: ['/etc/modsecurity/modsecurity.conf'] });
 */
export function explainWaf(config: ExplainConfig, options: ExplainWafOptions = {}): Waf {
  const common = {
    collectionStore: new MemoryCollectionStore(),
    onWarning: options.onWarning ?? (() => undefined),
    // The logs are detached below; that one the configuration names cannot be opened is no matter here.
    onLogError: () => undefined,
    ...(options.maxFileBytes !== undefined ? { maxFileBytes: options.maxFileBytes } : {}),
  };
  const waf = 'files' in config ? createWaf({ files: config.files, ...common }) : createWaf({ directives: config.directives, baseDir: config.baseDir, ...common });
  waf.auditLog = undefined;
  waf.debugLog = undefined;
  return waf;
}

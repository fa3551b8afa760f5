import { createWaf as compileWaf, ConfigLoadError, type NewTransactionOptions, type Transaction, type Waf } from '@rampart/engine';
import type { LocatedCrs } from '@rampart/rules-crs4';
import { findCrs } from './crs-source';
import { assembleConfig, type Placement } from './directives';
import type { CreateWafOptions } from './options';

/** One compiled rule set and the transactions still running on it. */
interface Generation {
  readonly waf: Waf;
  active: number;
  /** Replaced by a reload (or the WAF closed): released when its last transaction ends. */
  retired: boolean;
}

interface Loaded {
  readonly waf: Waf;
  readonly crs: LocatedCrs | undefined;
}

function writeStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function load(options: CreateWafOptions): Promise<Loaded> {
  const log = options.log ?? writeStderr;
  const crs = options.crs === false ? undefined : await findCrs(options.crs ?? {}, log);
  const errorLog = options.errorLog === false ? () => undefined : (options.errorLog ?? writeStderr);
  const config = assembleConfig(options, crs);
  try {
    const waf = compileWaf({
      ...options.engine,
      directives: config.text,
      baseDir: options.baseDir ?? process.cwd(),
      errorLog: (line) => errorLog(line),
    });
    return { waf, crs };
  } catch (error) {
    throw error instanceof ConfigLoadError ? pointIntoOptions(error, config.placements) : error;
  }
}

/**
 * A load error in `before` or `after` as `<after>:2:15` (the line in the option's own text) instead of its line in the
 * assembled configuration, which the caller never sees.
 */
function pointIntoOptions(error: ConfigLoadError, placements: readonly Placement[]): ConfigLoadError {
  let moved = false;
  const problems = error.problems.map((problem) => {
    const loc = problem.loc;
    if (loc === undefined || !loc.file.endsWith('<directives>')) return problem;
    const place = placements.find((p) => loc.line >= p.firstLine && loc.line < p.firstLine + p.lineCount);
    if (place === undefined) return problem;
    moved = true;
    return { ...problem, loc: { ...loc, file: `<${place.name}>`, line: loc.line - place.firstLine + 1 } };
  });
  return moved ? new ConfigLoadError(problems) : error;
}

/**
 * A WAF whose rules can be reloaded while it serves: a reload compiles the configuration again and swaps it in;
 * transactions already running finish on the rules they started with, which are closed (audit log, collection
 * store) once the last of them ended. Pass it to @rampart/http's middleware as it is.
 *
 * Compiling CRS takes a second or two of CPU on the thread that calls `reload()`: requests wait meanwhile.
 */
export class ManagedWaf {
  private current: Generation;
  private readonly generations = new Map<Waf, Generation>();
  private located: LocatedCrs | undefined;
  private reloading: Promise<void> | undefined;
  private closed = false;

  /** @internal use createWaf */
  constructor(
    private readonly options: CreateWafOptions,
    loaded: Loaded,
  ) {
    this.current = this.adopt(loaded);
  }

  /** The engine's WAF the next transaction runs on. */
  get waf(): Waf {
    return this.current.waf;
  }

  /** The CRS copy in use (undefined with `crs: false`). */
  get crs(): LocatedCrs | undefined {
    return this.located;
  }

  /** Transactions started and not yet ended, on any generation of the rules. */
  get activeTransactions(): number {
    let n = 0;
    for (const g of this.generations.values()) n += g.active;
    return n;
  }

  newTransaction(options?: NewTransactionOptions): Transaction {
    if (this.closed) throw new Error('@rampart/waf: newTransaction after close()');
    const generation = this.current;
    const tx = generation.waf.newTransaction(options);
    generation.active++;
    return tx;
  }

  /** Called by the middleware once a transaction's logging phase ran. */
  transactionEnded(tx: Transaction): void {
    const generation = this.generations.get(tx.waf);
    if (generation === undefined) return;
    generation.active--;
    if (generation.retired && generation.active <= 0) this.release(generation);
  }

  /**
   * Loads the configuration again (CRS files, `Include`d files) and swaps it in. On any error the running rules stay
   * and the error (a ConfigLoadError listing every problem) is thrown. Concurrent calls share one reload.
   */
  reload(): Promise<void> {
    if (this.reloading) return this.reloading;
    this.reloading = (async () => {
      try {
        if (this.closed) throw new Error('@rampart/waf: reload after close()');
        const loaded = await load(this.options);
        if (this.closed) {
          loaded.waf.close();
          return;
        }
        const previous = this.current;
        this.current = this.adopt(loaded);
        this.retire(previous);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** No new transactions; the rules are released once the running transactions ended. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.retire(this.current);
  }

  private adopt(loaded: Loaded): Generation {
    const generation: Generation = { waf: loaded.waf, active: 0, retired: false };
    this.generations.set(loaded.waf, generation);
    this.located = loaded.crs;
    return generation;
  }

  private retire(generation: Generation): void {
    generation.retired = true;
    if (generation.active <= 0) this.release(generation);
  }

  private release(generation: Generation): void {
    this.generations.delete(generation.waf);
    generation.waf.close();
  }
}

/**
 * A WAF in one call: OWASP CRS (found, or downloaded once and verified) at the paranoia level asked, with the
 * recommended engine settings, blocking when `mode: 'block'`. Resolves once every rule compiled; rejects with a
 * ConfigLoadError listing every problem in `before`/`after`, or a CrsError when CRS cannot be found.
 *
 * @example
 * const waf = await createWaf({ crs: { paranoia: 1 }, mode: 'block' });
 * app.use(expressWaf(waf));                                   // @rampart/http
 */
export async function createWaf(options: CreateWafOptions = {}): Promise<ManagedWaf> {
  return new ManagedWaf(options, await load(options));
}

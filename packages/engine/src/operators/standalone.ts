/**
 * Compiling an operator outside the engine, for tests and embedding: a default compile context (macros from
 * a map, data files relative to a base directory, warnings collected) and a default run context.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { readConfigFile, type MacroRef, type MacroString } from '@rampart/seclang';
import { findOperator } from './index';
import { OperatorCompileError } from './errors';
import { compileMacro, parseMacroText } from './macro';
import { locateMatch, type OperatorCompileContext, type OperatorOptions, type OperatorRunContext } from './types';

export interface StandaloneContext extends Partial<OperatorCompileContext> {
  /** Values for `%{...}` macros, keyed `COLLECTION` or `COLLECTION.key` (case-insensitive). */
  macros?: Readonly<Record<string, string>>;
  /** Directory that data-file names are relative to (default: the current directory). */
  baseDir?: string;
  /** Receives load-time warnings (default: ignored). */
  onWarning?: (message: string) => void;
}

export type StandaloneMatcher = ((input: string, run?: Partial<OperatorRunContext>) => boolean) & {
  /** Where the operator matched in `input` (see MatchLocator): `[offset, length, ...]`, empty when it cannot say. */
  locate(input: string, run?: Partial<OperatorRunContext>): readonly number[];
};
export type StandaloneAsyncMatcher = (input: string, run?: Partial<OperatorRunContext>) => Promise<boolean>;

const DEFAULT_OPTIONS: OperatorOptions = { allowBacktrackingRegex: true, allowInspectFile: false };

function macroKey(ref: MacroRef): string {
  return (ref.key === undefined ? ref.collection : `${ref.collection}.${ref.key}`).toUpperCase();
}

function buildContexts(argument: string | MacroString, ctx: StandaloneContext = {}) {
  const macros = new Map<string, string>();
  for (const [k, v] of Object.entries(ctx.macros ?? {})) macros.set(k.replace(':', '.').toUpperCase(), v);
  const baseDir = ctx.baseDir ?? process.cwd();
  const toPath = (name: string): string => (isAbsolute(name) ? name : resolvePath(baseDir, name));
  const compileCtx: OperatorCompileContext = {
    macro: ctx.macro ?? compileMacro,
    readDataFile: ctx.readDataFile ?? ((name) => readConfigFile(toPath(name), ctx.options?.maxFileBytes)),
    resolvePath: ctx.resolvePath ?? toPath,
    warn: ctx.warn ?? ctx.onWarning ?? (() => undefined),
    options: { ...DEFAULT_OPTIONS, ...ctx.options },
  };
  const arg = typeof argument === 'string' ? parseMacroText(argument) : argument;
  const runCtx = (run: Partial<OperatorRunContext> = {}): OperatorRunContext => ({
    captures: run.captures ?? null,
    setGeo: run.setGeo ?? (() => undefined),
    ...(run.xmlRequestBody ? { xmlRequestBody: run.xmlRequestBody } : {}),
    ...(run.debug ? { debug: run.debug } : {}),
    resolve: run.resolve ?? ((ref: MacroRef) => macros.get(macroKey(ref)) ?? ''),
  });
  return { compileCtx, arg, runCtx };
}

function lookup(name: string) {
  const def = findOperator(name.replace(/^@/, ''));
  if (def === undefined) throw new OperatorCompileError('bad-argument', `unknown operator @${name.replace(/^@/, '')}`);
  return def;
}

/**
 * Compiles operator `name` with `argument` (a plain string is scanned for `%{...}` macros). Throws
 * OperatorCompileError like a rule load would. For `@rbl` and `@inspectFile` use compileAsyncOperator.
 */
export function compileOperator(
  name: string,
  argument: string | MacroString = '',
  ctx?: StandaloneContext,
): StandaloneMatcher {
  const def = lookup(name);
  if (def.async) {
    throw new OperatorCompileError('bad-argument', `@${def.name} is asynchronous: use compileAsyncOperator`);
  }
  const { compileCtx, arg, runCtx } = buildContexts(argument, ctx);
  const matcher = def.compile(arg, compileCtx);
  return Object.assign((input: string, run?: Partial<OperatorRunContext>) => matcher(input, runCtx(run)) as boolean, {
    locate: (input: string, run?: Partial<OperatorRunContext>) => locateMatch(matcher, input, runCtx(run)),
  });
}

/** Like compileOperator, for any operator; the matcher always returns a promise. */
export function compileAsyncOperator(
  name: string,
  argument: string | MacroString = '',
  ctx?: StandaloneContext,
): StandaloneAsyncMatcher {
  const def = lookup(name);
  const { compileCtx, arg, runCtx } = buildContexts(argument, ctx);
  const matcher = def.compile(arg, compileCtx);
  return async (input, run) => matcher(input, runCtx(run));
}

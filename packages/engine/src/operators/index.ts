/**
 * The built-in operators, listed explicitly and sorted by name (no registration side effects), and the
 * case-insensitive lookup by name or alias.
 */
import type { OperatorDefinition } from './types';
import { beginsWith } from './begins-with';
import { contains } from './contains';
import { containsWord } from './contains-word';
import { detectSQLi } from './detect-sqli';
import { detectXSS } from './detect-xss';
import { endsWith } from './ends-with';
import { eq } from './eq';
import { fuzzyHash } from './fuzzy-hash';
import { ge } from './ge';
import { geoLookup } from './geo-lookup';
import { gsbLookup } from './gsb-lookup';
import { gt } from './gt';
import { inspectFile } from './inspect-file';
import { ipMatch } from './ip-match';
import { ipMatchFromDataset } from './ip-match-from-dataset';
import { ipMatchFromFile } from './ip-match-from-file';
import { le } from './le';
import { lt } from './lt';
import { noMatch } from './no-match';
import { pm } from './pm';
import { pmFromDataset } from './pm-from-dataset';
import { pmFromFile } from './pm-from-file';
import { rbl } from './rbl';
import { restpath } from './restpath';
import { rsub } from './rsub';
import { rx } from './rx';
import { rxGlobal } from './rx-global';
import { streq } from './streq';
import { strmatch } from './strmatch';
import { unconditionalMatch } from './unconditional-match';
import { validateByteRange } from './validate-byte-range';
import { validateDTD } from './validate-dtd';
import { validateHash } from './validate-hash';
import { validateNid } from './validate-nid';
import { validateSchema } from './validate-schema';
import { validateUrlEncoding } from './validate-url-encoding';
import { validateUtf8Encoding } from './validate-utf8-encoding';
import { verifyCC } from './verify-cc';
import { verifyCPF } from './verify-cpf';
import { verifySSN } from './verify-ssn';
import { verifySVNR } from './verify-svnr';
import { within } from './within';

export const builtinOperators = {
  beginsWith,
  contains,
  containsWord,
  detectSQLi,
  detectXSS,
  endsWith,
  eq,
  fuzzyHash,
  ge,
  geoLookup,
  gsbLookup,
  gt,
  inspectFile,
  ipMatch,
  ipMatchFromDataset,
  ipMatchFromFile,
  le,
  lt,
  noMatch,
  pm,
  pmFromDataset,
  pmFromFile,
  rbl,
  restpath,
  rsub,
  rx,
  rxGlobal,
  streq,
  strmatch,
  unconditionalMatch,
  validateByteRange,
  validateDTD,
  validateHash,
  validateNid,
  validateSchema,
  validateUrlEncoding,
  validateUtf8Encoding,
  verifyCC,
  verifyCPF,
  verifySSN,
  verifySVNR,
  within,
} satisfies Record<string, OperatorDefinition>;

export type BuiltinOperatorName = keyof typeof builtinOperators;

/**
 * Builds a case-insensitive index of names and aliases. Two operators claiming the same name is a
 * programming error, reported at load rather than letting one silently shadow the other.
 */
export function indexOperators(defs: Iterable<OperatorDefinition>): ReadonlyMap<string, OperatorDefinition> {
  const byName = new Map<string, OperatorDefinition>();
  for (const def of defs) {
    for (const name of [def.name, ...(def.aliases ?? [])]) {
      const key = name.toLowerCase();
      const previous = byName.get(key);
      if (previous !== undefined) {
        throw new Error(`operator name "${name}" is claimed by both @${previous.name} and @${def.name}`);
      }
      byName.set(key, def);
    }
  }
  return byName;
}

const operatorIndex = indexOperators(Object.values(builtinOperators));

/** The operator named `name` (without `@`; any case; aliases such as `pmf` accepted), or undefined. */
export function findOperator(name: string): OperatorDefinition | undefined {
  return operatorIndex.get(name.toLowerCase());
}

export { compileOperator, compileAsyncOperator } from './standalone';
export type { StandaloneContext, StandaloneMatcher, StandaloneAsyncMatcher } from './standalone';
export { OperatorCompileError } from './errors';
export type { OperatorErrorCode } from './errors';
export { compileMacro, parseMacroText } from './macro';
export { defineOperator } from './types';
export type {
  AsyncOperatorMatcher,
  Expandable,
  MacroScope,
  OperatorCompileContext,
  OperatorDefinition,
  OperatorMatcher,
  OperatorOptions,
  OperatorRunContext,
} from './types';

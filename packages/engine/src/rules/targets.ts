import type { VariableRef } from '@rampart/seclang';
import type { CompiledSelector, CompiledTarget, Exclusion } from './compiled-rule';
import { findVariableDefinition } from '../variables/table';
import { compileXPath } from '../body/xpath';
import { ruleFieldForRegex } from '../variables/rule';

/** A key no collection has: RULE:/re/ whose regex names no field of RULE. */
const NO_KEY: CompiledSelector = { kind: 'key', key: '', lower: '\u0000' };

/** ModSecurity v2's variable, which libmodsecurity v3 refuses to load: no connector hands the engine the server's log. */
const WEBSERVER_ERROR_LOG_REFUSED = 'WEBSERVER_ERROR_LOG is not supported (libmodsecurity v3 refuses it too): nothing passes the web server\'s error log to the engine, so a rule on it could never match';

/** A compiled key regex (RE2, or the backtracking engine for what RE2 refuses): whether it matches anywhere. */
export interface KeyRegex {
  test(input: string): boolean;
}

/** Compiles a target list: positive entries become targets, `!` entries exclusions. */
export function compileTargets(
  refs: readonly VariableRef[],
  compileRegex: (pattern: string) => KeyRegex,
): { targets: CompiledTarget[]; exclusions: Exclusion[] } {
  const targets: CompiledTarget[] = [];
  const exclusions: Exclusion[] = [];
  for (const ref of refs) {
    const def = findVariableDefinition(ref.name);
    if (!def) throw new Error(ref.name.toUpperCase() === 'WEBSERVER_ERROR_LOG' ? WEBSERVER_ERROR_LOG_REFUSED : `unknown variable '${ref.rawName}'`);
    const variable = def.name;
    let selector = compileSelector(ref, compileRegex);
    if (variable === 'RULE' && selector.kind === 'regex') {
      const field = ruleFieldForRegex(selector.matches);
      selector = field === undefined ? NO_KEY : { kind: 'key', key: field, lower: field };
    }
    if (selector.kind !== 'all' && def.kind !== 'collection') {
      throw new Error(`variable ${variable} takes no selector (':${ref.selector?.kind === 'regex' ? '/' + ref.selector.pattern + '/' : ref.selector && 'value' in ref.selector ? ref.selector.value : ''}')`);
    }
    if (ref.negated) exclusions.push({ variable, selector });
    else targets.push({ variable, definition: def, selector, count: ref.count });
  }
  return { targets, exclusions };
}

/** Answers kept per selector, at most: keys repeat across rules and transactions (TX:/^MSC_/ in CRS). */
const KEY_ANSWERS_LIMIT = 4096;

function keyRegexSelector(source: string, re: KeyRegex): CompiledSelector {
  const answers = new Map<string, boolean>();
  const matches = (key: string): boolean => {
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = re.test(key);
      if (answers.size >= KEY_ANSWERS_LIMIT) answers.clear();
      answers.set(key, answer);
    }
    return answer;
  };
  return { kind: 'regex', source, matches };
}

export function compileSelector(ref: VariableRef, compileRegex: (pattern: string) => KeyRegex): CompiledSelector {
  const s = ref.selector;
  if (!s) return { kind: 'all' };
  switch (s.kind) {
    case 'key':
      return { kind: 'key', key: s.value, lower: s.value.toLowerCase() };
    case 'regex':
      // Collection keys are case-insensitive, so key regexes are too (CRS relies on it for TX:/.../).
      return keyRegexSelector(s.pattern, compileRegex(`(?i)${s.pattern}`));
    case 'xpath': {
      const compiled = compileXPath(s.path);
      if (!compiled.ok) throw new Error(`XPath '${s.path}' is not supported: ${compiled.error}`);
      return { kind: 'xpath', path: s.path, xpath: compiled.xpath };
    }
  }
}

import type { Check } from '../types';
import { PHASE_VALUES } from './missing-phase';

/** A pattern anchored at the start, after any leading inline flags: `^foo`, `(?i)^foo`. */
const START_ANCHORED = /^((?:\(\?[a-zA-Z]+\))*)\^/;

/**
 * Whether what follows the anchor can start with `j` (so that `json.` may be part of what it matches, as in
 * `^[^!&]*\)` or `^.*`): its first atom, looked at conservatively; anything not understood counts as "can".
 * Only a pattern whose first atom is a literal other than `j` (`^\(`, `^user`, `^(?:a|b)`) misses JSON names.
 */
function mayStartWithJ(rest: string, caseless: boolean): boolean {
  const j = (c: string) => c === 'j' || (caseless && c === 'J');
  const first = rest[0];
  if (first === undefined) return true;
  if (first === '\\') {
    const e = rest[1] ?? '';
    // \w \W \S \D \p... can match j; an escaped punctuation is that literal; \s \d cannot.
    if (/[sd]/.test(e)) return false;
    if (/[a-zA-Z0-9]/.test(e)) return true;
    return j(e);
  }
  if (first === '.') return true;
  if (first === '[') {
    const end = rest.indexOf(']', rest[1] === '^' ? 3 : 2);
    if (end < 0) return true;
    const body = rest.slice(rest[1] === '^' ? 2 : 1, end);
    let inClass: boolean;
    try {
      inClass = new RegExp(`[${body}]`, caseless ? 'i' : '').test('j');
    } catch {
      return true;
    }
    return rest[1] === '^' ? !inClass : inClass;
  }
  if (first === '(') {
    // A group: any of its alternatives may start with j; an optional group lets what follows it start too.
    let depth = 0;
    let close = -1;
    const starts = [rest.startsWith('(?:') ? 3 : /^\(\?<[^>]+>/.test(rest) ? rest.indexOf('>') + 1 : rest.startsWith('(?') ? -1 : 1];
    if (starts[0] === -1) return true;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c === '[') {
        const e = rest.indexOf(']', i + 2);
        if (e < 0) return true;
        i = e;
        continue;
      }
      if (c === '(') depth++;
      else if (c === ')') {
        depth--;
        if (depth === 0) {
          close = i;
          break;
        }
      } else if (c === '|' && depth === 1) starts.push(i + 1);
    }
    if (close < 0) return true;
    const alternatives = starts.map((st, k) => rest.slice(st, k + 1 < starts.length ? (starts[k + 1] as number) - 1 : close));
    if (alternatives.some((alt) => alt === '' || mayStartWithJ(alt, caseless))) return true;
    const optional = /^[?*]|^\{0[,}]/.test(rest.slice(close + 1));
    return optional ? mayStartWithJ(rest.slice(close + 1).replace(/^(?:[?*]|\{0,?[0-9]*\})\??/, ''), caseless) : false;
  }
  if ('|)'.includes(first)) return true;
  // A literal character, possibly made optional by a quantifier after it.
  if (/^.(?:[?*]|\{0[,}])/.test(rest)) return j(first) || mayStartWithJ(rest.slice(1).replace(/^(?:[?*]|\{0,?[0-9]*\})\??/, ''), caseless);
  return j(first);
}

/** Whether a start-anchored pattern can never match an argument name prefixed with `json.`. */
export function missesJsonNames(pattern: string): boolean {
  const m = START_ANCHORED.exec(pattern);
  if (m === null) return false;
  const caseless = (m[1] ?? '').includes('i');
  return !mayStartWithJ(pattern.slice(m[0].length), caseless);
}

/**
 * ModSecurity v3, Coraza and Rampart name the arguments of a JSON request body `json.<key>` (`json.user.name`),
 * so in phase 2 and later a pattern anchored at the start of an argument name (`^username$`, `@beginsWith`,
 * `@streq`) never matches a JSON argument: the rule misses the attack when it comes as JSON. Write
 * `^(?:json\.)?username$`. Phase 1 rules see no body arguments and are not checked.
 * crs-linter's `args_names_json_prefix` check (coreruleset PR 4703 fixed CRS rule 932171 for it).
 */
export const argsNamesJsonPrefix: Check = {
  name: 'args-names-json-prefix',
  meta: {
    severity: 'warning',
    docs:
      'ARGS_NAMES matched from the start (`@rx ^name`, @beginsWith, @streq) in phase 2 or later by a pattern ' +
      'that cannot begin with `json.`: JSON body arguments are named `json.name`, so the rule misses them; ' +
      'allow the prefix with `^(?:json\\.)?`.',
    crsLinterNames: ['args_names_json_prefix'],
  },
  check(ctx) {
    for (const { rule, head } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      if (!rule.variables.some((v) => v.name === 'ARGS_NAMES' && !v.negated && !v.count)) continue;
      const phase = PHASE_VALUES.get((head.actions.find((a) => a.name === 'phase')?.value ?? '2').trim().toLowerCase()) ?? 2;
      if (phase < 2) continue;
      const op = rule.operator;
      if (op.name === 'beginsWith' || op.name === 'streq') {
        ctx.report(op.loc, `ARGS_NAMES with @${op.rawName}: JSON body arguments are named 'json.<key>', which this never matches; use @rx ^(?:json\\.)?...`);
      } else if (op.name === 'rx' && missesJsonNames(op.argument)) {
        ctx.report(op.loc, `ARGS_NAMES with a pattern anchored by '^': JSON body arguments are named 'json.<key>', which it never matches; write ^(?:json\\.)? after the anchor`);
      }
    }
  },
};

import { transformationName, type CompiledRule, type CompiledTarget } from '../rules/compiled-rule';
import type { ValueRef } from '../rules/value-state';
import type { Transaction } from '../transaction';
import type { MatchedValue } from '../interruption';
import { locateMatch, NO_SPANS } from '../operators/types';
import { variableOrigins } from './variable-origins';

/** A value that matched in a chain whose matches are placed (see placeMatches), kept until the chain ends. */
export interface PendingMatch {
  /** The chain member whose operator matched. */
  rule: CompiledRule;
  target: CompiledTarget;
  ref: ValueRef;
  /** `ARGS:q`. */
  name: string;
  /** The value the operator saw. */
  candidate: string;
  /** Its place among a multiMatch rule's transformation steps (0: the value as it is). */
  step: number;
  /**
   * A multiMatch head that logs gets one message per matching value, as libmodsecurity v3 writes them: its msg,
   * logdata and tags expanded when this value matched (MATCHED_VAR and TX:0-9 are this value's then).
   */
  message?: PerMatchMessage;
}

/** The head's msg, logdata and tags as they read when one value matched (multiMatch; see PendingMatch.message). */
export interface PerMatchMessage {
  msg: string;
  data: string;
  tags: readonly string[];
  /** MATCHED_VAR / MATCHED_VAR_NAME / the value before transformations, at that match. */
  last: { variable: string; value: string; raw: string; rule: CompiledRule };
}

const NO_MATCHES: readonly MatchedValue[] = Object.freeze([]);
/** Most matched chains (nolog flow rules) keep nothing to place: one shared answer for them. */
const NOTHING_PLACED = Object.freeze({ reference: '', matches: NO_MATCHES });

/**
 * The reference and the located values of a chain that matched: where each operator matched (asking it again:
 * operators answer yes or no fast, and only these few values are located), where each value came from, and its
 * transformations. Worked out once the chain is known to match, so the first links of the chains that fail
 * later (CRS's 920450 matches every header name before its second rule rules them out) cost no more than before.
 */
export function placeMatches(tx: Transaction, pending: readonly PendingMatch[]): { reference: string; matches: readonly MatchedValue[] } {
  if (pending.length === 0) return NOTHING_PLACED;
  let reference = '';
  const matches: MatchedValue[] = [];
  const captures = tx.captures;
  // Locating must not write TX:0-9 again.
  tx.captures = null;
  for (const p of pending) {
    const spans = placeMatch(tx, p);
    reference += referencePart(spans, p.target.count ? NO_SPANS : variableOrigins(tx, p.target.variable, p.ref), transformationPath(tx, p.rule, p.ref.value, p.step));
    matches.push({ variable: p.name, value: p.candidate, spans });
  }
  tx.captures = captures;
  return { reference, matches };
}

/** Where the operator matched in the value (v3 records nothing for a negated operator, which matched by not matching). */
export function placeMatch(tx: Transaction, p: PendingMatch): readonly number[] {
  return p.rule.operator.negated ? NO_SPANS : locateMatch(p.rule.operator.match, p.candidate, tx);
}

/**
 * One matched value's part of ModSecurity v3's match reference (`RuleMessage::m_reference`, the error log's
 * `[ref "..."]` and the JSON audit log's `details.reference`): `o` + offset + `,` + length for each span the
 * operator matched (`spans`, see MatchLocator), `v` + offset + `,` + length for each place the value came from
 * in the request (`origins`, see variableOrigins), then the transformations that made the value. A rule (and
 * the rest of its chain) appends one part per matching value: `o0,6v17,6t:trim`, or
 * `o0,8o0,8v491,8t:trimo0,16o0,16v709,16t:trim` for two values.
 */
export function referencePart(spans: readonly number[], origins: readonly number[], transformations: string): string {
  let s = '';
  for (let i = 0; i + 1 < spans.length; i += 2) s += `o${spans[i]},${spans[i + 1]}`;
  for (let i = 0; i + 1 < origins.length; i += 2) s += `v${origins[i]},${origins[i + 1]}`;
  return s + transformations;
}

/**
 * The transformations that made a matched value, as v3 names them in the reference: every transformation of
 * the rule's chain (`t:lowercase,t:trim`), whether or not it changed the value. With multiMatch, v3 names
 * only the one that made the step (`t:lowercase`), and nothing for the value as it was (`step` 0).
 */
export function transformationPath(tx: Transaction, rule: CompiledRule, original: string, step: number): string {
  const chain = rule.transformations;
  if (!rule.multiMatch) return chain.map((_, i) => `t:${transformationName(rule, i)}`).join(',');
  if (step === 0) return '';
  let value = original;
  let made = 0;
  for (let i = 0; i < chain.length; i++) {
    const next = chain[i]!.transform(value, tx.waf.transformationContext);
    if (next === value) continue;
    value = next;
    if (++made === step) return `t:${transformationName(rule, i)}`;
  }
  return '';
}

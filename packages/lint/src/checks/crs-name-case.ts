import { catalog } from '@rampart/seclang';
import type { ActionNode, SourceLocation } from '@rampart/seclang';
import type { SourceFile } from '../source';
import type { Check, CheckContext, Fix } from '../types';
import { allActions } from '../walk';

/** The spellings CRS accepts for a name: the canonical one and the catalog's aliases (normalisePath, pmf...). */
function spellings(info: { name: string; aliases?: string[] } | undefined): string[] | undefined {
  return info === undefined ? undefined : [info.name, ...(info.aliases ?? [])];
}

/** The spelling `written` should have (same letters, the catalog's case), or undefined when it is right. */
function correctCase(written: string, allowed: string[] | undefined): string | undefined {
  if (allowed === undefined || allowed.includes(written)) return undefined;
  return allowed.find((n) => n.toLowerCase() === written.toLowerCase());
}

/** A fix replacing the first `written` found in `loc` from `after` characters on. */
function renameFix(source: SourceFile | undefined, loc: SourceLocation, written: string, right: string, after = 0): Fix | undefined {
  if (source === undefined) return undefined;
  const start = source.start(loc);
  const at = source.text.slice(start, source.end(loc)).indexOf(written, after);
  return at < 0 ? undefined : { file: loc.file, edits: [{ start: start + at, end: start + at + written.length, text: right }] };
}

function report(ctx: CheckContext, loc: SourceLocation, what: string, written: string, right: string, after = 0): void {
  const fix = renameFix(ctx.source(loc.file), loc, written, right, after);
  ctx.report(loc, `${what} '${written}' is written '${right}' in CRS`, fix === undefined ? {} : { fix });
}

function checkAction(ctx: CheckContext, a: ActionNode): void {
  const action = correctCase(a.rawName, spellings(catalog.findAction(a.rawName)));
  if (action !== undefined) report(ctx, a.loc, 'action', a.rawName, action);
  const value = a.value?.trim();
  if (a.name === 't' && value !== undefined) {
    const t = correctCase(value, spellings(catalog.findTransformation(value)));
    if (t !== undefined) report(ctx, a.loc, 'transformation', value, t, a.rawName.length + 1);
  }
  if (a.ctl !== undefined) {
    const ctl = correctCase(a.ctl.rawOption, spellings(catalog.findCtlOption(a.ctl.rawOption)));
    if (ctl !== undefined) report(ctx, a.loc, 'ctl option', a.ctl.rawOption, ctl, a.rawName.length + 1);
  }
}

/**
 * ModSecurity reads operator, action, transformation and ctl names in any case; CRS writes each one way
 * (`@beginsWith`, `t:urlDecodeUni`, `ctl:ruleRemoveTargetById`, `skipAfter`), and so should rules that live
 * next to it. Unknown names are the unknown-* checks' findings.
 */
export const crsNameCase: Check = {
  name: 'crs-name-case',
  meta: {
    severity: 'error',
    docs: 'Operator, action, transformation and ctl names written in another case than CRS writes them (`@beginswith`, `t:urldecodeuni`).',
    profiles: ['crs'],
    fixable: true,
    crsLinterNames: ['ignore_case'],
  },
  check(ctx) {
    for (const a of allActions(ctx.ast)) checkAction(ctx, a);
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule' || rule.operator.implicit) continue;
      const op = rule.operator;
      const right = correctCase(op.rawName, spellings(catalog.findOperator(op.rawName)));
      if (right !== undefined) report(ctx, op.loc, 'operator', `@${op.rawName}`, `@${right}`);
    }
  },
};

import type { ActionNode, CtlSpec, SetVarSpec } from './ast';
import { findAction, findCtlOption, findTransformation } from './catalog';
import { clip, type DiagnosticSink } from './diagnostics';
import { parseMacroString } from './macro';
import { type Span, SubSpan, subSpan } from './source-text';
import { scanVariableList } from './variables';

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** ctl options whose value is `selector;TARGETS`. */
const TARGET_CTL = new Set(['ruleremovetargetbyid', 'ruleremovetargetbytag', 'ruleremovetargetbymsg']);

/**
 * Reads an action list: `id:1,phase:2,t:none,msg:'a, b %{tx.0}',setvar:'tx.x=+%{tx.y}',ctl:a=b;ARGS:c`.
 * Names end at `:`, `,` or a blank; a value is either single-quoted (with `\'`; it may contain commas) or bare
 * up to the next comma (trailing blanks trimmed). Blanks around entries are ignored, which is what makes
 * multi-line action lists (joined by continuations) work.
 */
export function scanActionList(span: Span, sink: DiagnosticSink): ActionNode[] {
  const text = span.text;
  const n = text.length;
  const out: ActionNode[] = [];
  let i = 0;
  for (;;) {
    while (i < n && isBlank(text[i])) i++;
    if (i >= n) break;
    if (text[i] === ',') {
      sink.error('syntax', 'empty action in action list', span.loc(i, i + 1));
      i++;
      continue;
    }
    const start = i;
    while (i < n && text[i] !== ':' && text[i] !== ',' && !isBlank(text[i])) i++;
    const rawName = text.slice(start, i);
    let value: string | undefined;
    let quoted = false;
    let valueSpan: Span | undefined;
    let end = i;
    let ok = true;
    if (text[i] === ':') {
      i++;
      while (i < n && isBlank(text[i])) i++;
      if (text[i] === "'") {
        quoted = true;
        const open = i;
        i++;
        let v = '';
        let indices: number[] | undefined;
        const valueStart = i;
        const close = text.indexOf("'", i);
        if (close === -1 || text[close - 1] !== '\\') {
          // No escaped quote before the closing one (the common case): the value is a plain slice.
          i = close === -1 ? n : close;
          v = text.slice(valueStart, i);
        }
        while (i < n && text[i] !== "'") {
          if (text[i] === '\\' && text[i + 1] === "'") {
            indices ??= Array.from({ length: v.length }, (_, k) => valueStart + k);
            v += "'";
            indices.push(i + 1);
            i += 2;
          } else {
            v += text[i] as string;
            indices?.push(i);
            i++;
          }
        }
        indices?.push(i);
        value = v;
        valueSpan = indices === undefined ? subSpan(span, valueStart, i) : new SubSpan(v, span, 0, indices);
        if (i >= n) {
          sink.error('unterminated-quote', `unterminated quoted value of action '${clip(rawName)}'`, span.loc(open, n));
          end = n;
        } else {
          i++;
          end = i;
        }
      } else {
        const valueStart = i;
        const comma = text.indexOf(',', i);
        i = comma === -1 ? n : comma;
        let valueEnd = i;
        while (valueEnd > valueStart && isBlank(text[valueEnd - 1])) valueEnd--;
        value = text.slice(valueStart, valueEnd);
        valueSpan = subSpan(span, valueStart, valueEnd);
        end = valueEnd;
      }
    }
    while (i < n && isBlank(text[i])) i++;
    if (i < n && text[i] !== ',') {
      sink.error('syntax', `expected ',' after action '${clip(rawName)}'`, span.loc(i, i + 1));
      ok = false;
      while (i < n && text[i] !== ',') i++;
    }
    if (i < n) i++; // the comma
    if (rawName === '') {
      sink.error('syntax', 'expected an action name', span.loc(start, Math.max(end, start + 1)));
      continue;
    }
    if (!ok) continue;
    out.push(buildAction(rawName, value, quoted, valueSpan, span.loc(start, end), span, start, sink));
  }
  return out;
}

function buildAction(
  rawName: string,
  value: string | undefined,
  quoted: boolean,
  valueSpan: Span | undefined,
  loc: ActionNode['loc'],
  span: Span,
  nameStart: number,
  sink: DiagnosticSink,
): ActionNode {
  const info = findAction(rawName);
  if (info === undefined) {
    sink.error('unknown-action', `unknown action '${clip(rawName)}'`, span.loc(nameStart, nameStart + rawName.length));
  }
  const name = info?.name ?? rawName;
  const action: ActionNode = { name, rawName, quoted, loc };
  if (value === undefined || valueSpan === undefined) return action;
  action.value = value;
  action.macro = parseMacroString(value);
  const key = name.toLowerCase();
  if (key === 't') {
    if (findTransformation(value) === undefined) {
      sink.error('unknown-transformation', `unknown transformation '${clip(value)}'`, valueSpan.loc(0, value.length));
    }
  } else if (key === 'setvar') {
    const setvar = parseSetVar(valueSpan, sink);
    if (setvar !== undefined) action.setvar = setvar;
  } else if (key === 'ctl') {
    const ctl = parseCtl(valueSpan, sink);
    if (ctl !== undefined) action.ctl = ctl;
  }
  return action;
}

/** `tx.name=value`, `tx.name=+N`, `tx.name=-N`, `tx.name` (sets 1), `!tx.name` (deletes). */
export function parseSetVar(span: Span, sink: DiagnosticSink): SetVarSpec | undefined {
  const text = span.text;
  const del = text.startsWith('!');
  const from = del ? 1 : 0;
  const dot = text.indexOf('.', from);
  const eq = text.indexOf('=', from);
  if (dot === -1 || (eq !== -1 && eq < dot)) {
    sink.error('bad-setvar', `setvar expects collection.name, got '${clip(text)}'`, span.loc(0, text.length));
    return undefined;
  }
  const collection = text.slice(from, dot);
  if (!COLLECTION_NAME.test(collection)) {
    sink.error('bad-setvar', `setvar: bad collection name '${clip(collection)}'`, span.loc(from, dot));
    return undefined;
  }
  const keyEnd = eq === -1 ? text.length : eq;
  const key = text.slice(dot + 1, keyEnd);
  if (key === '') {
    sink.error('bad-setvar', 'setvar: empty variable name', span.loc(dot, dot + 1));
    return undefined;
  }
  const spec: SetVarSpec = { collection: collection.toUpperCase(), key: parseMacroString(key), op: 'set' };
  if (del) {
    if (eq !== -1) sink.error('bad-setvar', "setvar: a deletion ('!') takes no value", span.loc(eq, text.length));
    spec.op = 'delete';
    return spec;
  }
  if (eq === -1) return spec;
  let raw = text.slice(eq + 1);
  if (raw.startsWith('+')) {
    spec.op = 'add';
    raw = raw.slice(1);
  } else if (raw.startsWith('-')) {
    spec.op = 'subtract';
    raw = raw.slice(1);
  }
  spec.value = parseMacroString(raw);
  return spec;
}

/** `option=value`; for `ruleRemoveTarget*` the value is `selector;TARGETS`. */
export function parseCtl(span: Span, sink: DiagnosticSink): CtlSpec | undefined {
  const text = span.text;
  const eq = text.indexOf('=');
  if (eq === -1) {
    sink.error('syntax', `ctl expects option=value, got '${clip(text)}'`, span.loc(0, text.length));
    return undefined;
  }
  const rawOption = text.slice(0, eq).trim();
  const info = findCtlOption(rawOption);
  if (info === undefined) sink.error('unknown-ctl-option', `unknown ctl option '${clip(rawOption)}'`, span.loc(0, eq));
  const option = info?.name ?? rawOption;
  const value = text.slice(eq + 1);
  const spec: CtlSpec = { option, rawOption, value };
  if (TARGET_CTL.has(option.toLowerCase())) {
    const semi = value.indexOf(';');
    if (semi === -1) {
      sink.error('syntax', `ctl:${clip(rawOption)} expects ID;TARGETS, got '${clip(value)}'`, span.loc(eq + 1, text.length));
      return spec;
    }
    const targets = subSpan(span, eq + 2 + semi);
    spec.target = { selector: value.slice(0, semi), variables: scanVariableList(targets, sink) };
  }
  return spec;
}

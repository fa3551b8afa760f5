import type { OperatorNode } from './ast';
import { findOperator } from './catalog';
import { clip, type DiagnosticSink } from './diagnostics';
import { parseMacroString } from './macro';
import type { Span } from './source-text';

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';
}

/**
 * Reads a SecRule operator: `@name argument`, `!@name argument`, or a bare pattern that means `@rx pattern`
 * (`!pattern` negates it). Blanks between the name and the argument are not part of the argument.
 */
export function scanOperator(span: Span, sink: DiagnosticSink): OperatorNode {
  const text = span.text;
  const n = text.length;
  let i = 0;
  while (i < n && isBlank(text[i])) i++;
  let negated = false;
  if (text[i] === '!') {
    negated = true;
    i++;
    while (i < n && isBlank(text[i])) i++;
  }
  const loc = span.loc(0, n);
  if (text[i] !== '@') {
    const argument = text.slice(i);
    return { name: 'rx', rawName: '', negated, implicit: true, argument, argumentMacro: parseMacroString(argument), loc };
  }
  const nameStart = i + 1;
  let j = nameStart;
  while (j < n && !isBlank(text[j])) j++;
  const rawName = text.slice(nameStart, j);
  while (j < n && isBlank(text[j])) j++;
  const argument = text.slice(j);
  const info = rawName === '' ? undefined : findOperator(rawName);
  if (rawName === '') sink.error('syntax', "expected an operator name after '@'", span.loc(i, i + 1));
  else if (info === undefined) sink.error('unknown-operator', `unknown operator '@${clip(rawName)}'`, span.loc(i, nameStart + rawName.length));
  return {
    name: info?.name ?? rawName,
    rawName,
    negated,
    implicit: false,
    argument,
    argumentMacro: parseMacroString(argument),
    loc,
  };
}

import type { LintStats } from '../stats';
import { displayPath } from './paths';
import type { Formatter } from './types';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatStatsText(stats: LintStats): string {
  return [
    `files: ${stats.files}`,
    `directives: ${stats.directives}`,
    `rules with ids: ${stats.rulesWithId}`,
    `chained rules: ${stats.chainedRules}`,
    `@rx patterns: ${stats.rxPatterns}`,
  ].join('\n') + '\n';
}

/** `file:line:col: error|warning: message [check-name]`, one per line, then a count. */
export const formatText: Formatter = (diagnostics, options) => {
  let out = '';
  for (const d of diagnostics) {
    const message = d.message.replace(/\r?\n/g, ' ');
    out += `${displayPath(d.loc.file, options.cwd)}:${d.loc.line}:${d.loc.column}: ${d.severity}: ${message} [${d.check}]\n`;
  }
  if (diagnostics.length > 0) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    out += `\n${plural(errors, 'error')}, ${plural(diagnostics.length - errors, 'warning')}\n`;
  }
  if (options.stats !== undefined) out += (out === '' ? '' : '\n') + formatStatsText(options.stats);
  return out;
};

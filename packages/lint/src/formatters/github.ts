import { displayPath } from './paths';
import type { Formatter } from './types';

// GitHub workflow commands: the message escapes %, CR and LF; property values also escape `:` and `,`.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error file=...,line=...,col=...::message` lines that GitHub Actions shows as annotations. */
export const formatGithub: Formatter = (diagnostics, options) => {
  const lines = diagnostics
    .map((d) => {
      const props = [
        `file=${escapeProperty(displayPath(d.loc.file, options.cwd))}`,
        `line=${d.loc.line}`,
        `col=${d.loc.column}`,
        `endLine=${d.loc.endLine}`,
        `endColumn=${d.loc.endColumn}`,
        `title=${escapeProperty(d.check)}`,
      ].join(',');
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props}::${escapeData(d.message)}\n`;
    })
    .join('');
  if (options.stats === undefined) return lines;
  const s = options.stats;
  const summary = `files: ${s.files}, directives: ${s.directives}, rules with ids: ${s.rulesWithId}, chained rules: ${s.chainedRules}, @rx patterns: ${s.rxPatterns}`;
  return `${lines}::notice title=rampart lint statistics::${escapeData(summary)}\n`;
};

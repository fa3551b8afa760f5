import { formatGithub } from './github';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';
import type { Formatter } from './types';

export type FormatName = 'github' | 'json' | 'sarif' | 'text';

/** The output formats, by the name `--format` takes. */
export const formatters: Readonly<Record<FormatName, Formatter>> = {
  github: formatGithub,
  json: formatJson,
  sarif: formatSarif,
  text: formatText,
};

export function isFormatName(name: string): name is FormatName {
  return Object.prototype.hasOwnProperty.call(formatters, name);
}

export { formatGithub, formatJson, formatSarif, formatText };
export { formatStatsText } from './text';
export type { FormatOptions, Formatter } from './types';

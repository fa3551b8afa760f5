import { normalizePathBytes } from './normalize-path-core';
import { defineTransformation } from './types';

/** What normalizePath looks for (see there), plus any backslash, which always becomes `/`. */
const NEEDS_WORK = /\\|\/\/|\.(?:\/|$)/;

/**
 * Like normalizePath, but every `\` is first read as `/` (and written as `/`), so `..\..\windows\win.ini`
 * gives `../../windows/win.ini`. Trailing dots and `::$DATA` streams are not stripped (ModSecurity does not
 * either).
 * @example SecRule ARGS:file "@contains ../windows" "id:1,phase:2,t:none,t:normalizePathWin,deny"
 */
export const normalizePathWin = defineTransformation({
  name: 'normalizePathWin',
  aliases: ['normalisePathWin'],
  transform(input) {
    // As in normalizePath: indexOf first for values without a dot, the regex for the dotted ones.
    if (input.indexOf('.') < 0 && input.indexOf('\\') < 0 && input.indexOf('//') < 0) return input;
    if (!NEEDS_WORK.test(input)) return input;
    return normalizePathBytes(input, true);
  },
});

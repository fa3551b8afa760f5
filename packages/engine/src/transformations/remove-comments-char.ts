import { defineTransformation } from './types';

const HAS_MARKER = /\/\*|\*\/|--|#/;
const MARKERS = /\/\*|\*\/|<!--|-->|--|#/g;

/**
 * Removes the comment markers themselves — `/*`, `*\/`, `<!--`, `-->`, `--` and `#` — and keeps the text
 * between them (ModSecurity v3; v2 knows `/*`, `*\/`, `--` and `#` only).
 * @example SecRule ARGS "@rx unionselect" "id:1,phase:2,t:none,t:removeCommentsChar,deny"
 */
export const removeCommentsChar = defineTransformation({
  name: 'removeCommentsChar',
  transform(input) {
    if (!HAS_MARKER.test(input)) return input;
    return input.replace(MARKERS, '');
  },
});

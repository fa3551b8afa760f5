import { defineTransformation } from './types';

/**
 * Replaces each C-style comment `/* ... *\/` with one space; an unterminated comment is replaced by one
 * space too. A lone `*\/` is kept.
 * @example SecRule ARGS "@rx union select" "id:1,phase:2,t:none,t:replaceComments,deny"
 */
export const replaceComments = defineTransformation({
  name: 'replaceComments',
  transform(input) {
    let start = input.indexOf('/*');
    if (start < 0) return input;
    const parts: string[] = [];
    let run = 0;
    while (start >= 0) {
      parts.push(input.slice(run, start), ' ');
      const end = input.indexOf('*/', start + 2);
      if (end < 0) return parts.join('');
      run = end + 2;
      start = input.indexOf('/*', run);
    }
    parts.push(input.slice(run));
    return parts.join('');
  },
});

import { defineOperator, withLocator } from './types';
import { PhraseMatcher } from './aho-corasick';
import { dataLines, readDataFiles } from './data-file';

/**
 * Like `@pm`, with the phrases read from data files, one phrase per line (`#` comment lines and blank lines
 * are skipped; lines are taken verbatim, without `@pm`'s hex and escape decoding). Several files may be
 * named, separated by spaces; names are relative to the rule's file. With `capture`, TX:0 is the phrase.
 * @example SecRule REQUEST_FILENAME "@pmFromFile lfi-os-files.data" "id:930120,phase:2,capture,block"
 */
export const pmFromFile = defineOperator({
  name: 'pmFromFile',
  aliases: ['pmf'],
  compile(argument, ctx) {
    const phrases = readDataFiles(argument.text, '@pmFromFile', ctx).flatMap((f) => dataLines(f.content));
    if (phrases.length === 0) {
      // ModSecurity accepts an empty list (an allow-list kept empty for now): say so, then never match.
      ctx.warn(`@pmFromFile: ${argument.text} contains no phrase; the rule can never match`);
      return () => false;
    }
    const matcher = PhraseMatcher.create(phrases, ctx.options.memo);
    return withLocator((input, run) => {
      const found = matcher.search(input);
      if (found === undefined) return false;
      if (run.captures !== null) run.captures[0] = found;
      return true;
    }, (input) => matcher.locate(input));
  },
});

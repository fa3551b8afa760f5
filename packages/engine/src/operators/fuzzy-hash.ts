import { ssdeepCompare, ssdeepHash } from '../fuzzy-hash/ssdeep';
import { defineOperator } from './types';
import { OperatorCompileError } from './errors';

/**
 * Matches when the ssdeep fuzzy hash of the input is similar enough to one of the hashes of a file: the argument
 * is the file (one `blocksize:hash:hash` per line, ssdeep's output format; a header line or a `,"file name"`
 * tail is allowed) and, after the last space, the lowest similarity score that matches (0-100). As in
 * libmodsecurity v3 (libfuzzy's fuzzy_hash_buf and fuzzy_compare), the first line scoring at least the
 * threshold matches; a line that is not a hash scores -1.
 * @example SecRule REQUEST_BODY "@fuzzyHash /etc/rampart/ssdeep.txt 60" "id:166,phase:2,deny,msg:'known payload'"
 */
export const fuzzyHash = defineOperator({
  name: 'fuzzyHash',
  compile(argument, ctx) {
    const text = argument.text;
    const space = text.lastIndexOf(' ');
    if (space < 0) throw new OperatorCompileError('bad-argument', '@fuzzyHash: Please use @fuzzyHash with filename and value');
    const file = text.slice(0, space);
    const digits = text.slice(space + 1);
    // std::stoi: leading blanks, a sign, digits, anything after them ignored.
    const m = /^\s*([+-]?\d+)/.exec(digits);
    if (m === null) throw new OperatorCompileError('bad-argument', `@fuzzyHash: Expecting a digit, got: ${digits}`);
    const threshold = Number(m[1]);
    let content: string;
    try {
      content = ctx.readDataFile(file);
    } catch (e) {
      throw new OperatorCompileError('data-file', `@fuzzyHash: Failed to open file: ${text}. ${e instanceof Error ? e.message : String(e)}`);
    }
    const lines = content.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (threshold <= 0) ctx.warn(`@fuzzyHash: a threshold of ${threshold} matches every input (scores are 0 to 100)`);
    return (input, run) => {
      let hash: string;
      try {
        hash = ssdeepHash(input);
      } catch {
        run.debug?.(4, () => 'Problems generating fuzzy hash');
        return false;
      }
      for (const line of lines) {
        const score = ssdeepCompare(line, hash);
        if (score >= threshold) {
          run.debug?.(4, () => `Fuzzy hash: matched with score: ${score}.`);
          return true;
        }
      }
      return false;
    };
  },
});

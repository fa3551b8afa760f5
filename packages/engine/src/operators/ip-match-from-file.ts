import { defineOperator } from './types';
import { OperatorCompileError } from './errors';
import { IpSet } from './ip-address';
import { numberedDataLines, readDataFiles } from './data-file';

/**
 * Like `@ipMatch`, with the addresses and networks read from data files, one per line (a line may also hold
 * a comma-separated list, as in ModSecurity; `#` comment lines and blank lines are skipped).
 * @example SecRule REMOTE_ADDR "@ipMatchFromFile blocked-ips.txt" "id:159,phase:1,deny"
 */
export const ipMatchFromFile = defineOperator({
  name: 'ipMatchFromFile',
  aliases: ['ipMatchF'],
  compile(argument, ctx) {
    const set = new IpSet();
    const files = readDataFiles(argument.text, '@ipMatchFromFile', ctx);
    for (const file of files) {
      for (const { line, text } of numberedDataLines(file.content)) {
        for (const raw of text.split(',')) {
          const entry = raw.trim();
          if (entry === '') continue;
          // The entry is not quoted: the file may not be the list it was meant to be (see numberedDataLines).
          if (set.add(entry) !== undefined) throw new OperatorCompileError('bad-argument', `@ipMatchFromFile: ${file.name} line ${line}: not an IPv4 or IPv6 address or network (the line is not shown)`);
        }
      }
    }
    if (set.size === 0) {
      ctx.warn(`@ipMatchFromFile: ${argument.text} contains no address; the rule can never match`);
      return () => false;
    }
    return (input) => set.has(input);
  },
});

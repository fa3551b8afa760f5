import { parse } from '@rampart/seclang';
import type { Directive } from '@rampart/seclang';
import type { SourceFile } from '../source';

/**
 * crs-setup.conf.example ships most settings as commented-out rules (`#SecAction \` ... `#    setvar:...`) for
 * users to enable. crs-linter reads them as if enabled when it checks which TX variables rules may read, and
 * so does the crs profile: a block starts at a comment line `#SecRule` / `#SecAction` and ends at a blank
 * line or a line holding only `#`. Locations stay those of the file.
 */
export function commentedSetupRules(source: SourceFile): Directive[] {
  const lines = source.text.split('\n');
  const kept: string[] = [];
  let inBlock = false;
  let any = false;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (/^#\s*(SecRule|SecAction)\b/i.test(line)) inBlock = true;
    if (inBlock && (line.trim() === '' || line.trim() === '#')) inBlock = false;
    if (inBlock) {
      // Keep the column of the text: the `#` becomes a blank.
      kept.push(line.replace(/^#/, ' '));
      any = true;
    } else kept.push('');
  }
  if (!any) return [];
  return parse(kept.join('\n'), { file: source.file }).ast.directives;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Check } from '../types';
import { allActions } from '../walk';

/** util/APPROVED_TAGS: one tag a line, `#` comments. */
function readTags(file: string): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
}

/**
 * CRS lists the tags its rules may carry in util/APPROVED_TAGS, so that a misspelt tag (which would silently
 * escape `SecRuleRemoveByTag` and `ctl:ruleRemoveTargetByTag` exclusions) or a new one is seen in review. The
 * list is given with `--crs-approved-tags FILE`, or found at `util/APPROVED_TAGS` next to the rules directory;
 * without one, nothing is checked (CRS's release archives do not ship it). crs-linter's `approved_tags`.
 */
export const crsApprovedTags: Check = {
  name: 'crs-approved-tags',
  meta: {
    severity: 'error',
    docs: 'A tag that util/APPROVED_TAGS does not list (given with --crs-approved-tags, or found next to the rules).',
    profiles: ['crs'],
    crsLinterNames: ['approved_tags'],
  },
  check(ctx) {
    const lists = new Map<string, Set<string> | undefined>();
    const listFor = (ruleFile: string) => {
      const file = ctx.settings.crsApprovedTags ?? path.join(path.dirname(ruleFile), '..', 'util', 'APPROVED_TAGS');
      if (!lists.has(file)) lists.set(file, readTags(file));
      return { file, tags: lists.get(file) };
    };
    for (const a of allActions(ctx.ast)) {
      if (a.name !== 'tag' || a.value === undefined || a.macro?.parts.some((p) => typeof p !== 'string')) continue;
      const { file, tags } = listFor(a.loc.file);
      const tag = a.value.trim();
      if (tags !== undefined && !tags.has(tag)) ctx.report(a.loc, `tag '${tag}' is not in ${path.basename(path.dirname(file))}/${path.basename(file)}: register it there, or check its spelling`);
    }
  },
};

import { ignoreComments } from '../exemptions';
import type { Check } from '../types';

/**
 * `#rampart-lint:ignore:NAME` names checks to silence on the next directive; a misspelt name would silence
 * nothing, silently. crs-linter's names (`#crs-linter:ignore:pass_nolog`) are not checked: some of its checks
 * have no counterpart here.
 */
export function createIgnoreCommentCheck(knownNames: () => ReadonlySet<string>): Check {
  return {
    name: 'ignore-comment',
    meta: {
      severity: 'warning',
      docs: 'A `#rampart-lint:ignore:NAME` comment naming no check: it silences nothing.',
    },
    check(ctx) {
      const known = knownNames();
      for (const source of ctx.sourceFiles) {
        for (const c of ignoreComments(source)) {
          if (c.tool !== 'rampart-lint') continue;
          for (const name of c.names) if (!known.has(name)) ctx.report(c.loc, `rampart-lint:ignore names '${name}', which is no check (see --list-checks)`);
        }
      }
    },
  };
}

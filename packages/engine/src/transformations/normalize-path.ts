import { normalizePathBytes } from './normalize-path-core';
import { defineTransformation } from './types';

/**
 * Normalises a `/`-separated path as ModSecurity does: removes `./` segments and repeated slashes, resolves
 * `dir/../`; in a relative path the leading `../` that cannot be resolved are kept (`dir/../../foo` gives
 * `../foo`), an absolute path never climbs above `/` (`/../etc` gives `/etc`); a trailing slash is kept only
 * if the input had one, and a trailing `/.` or `/..` is resolved without adding one (`a/b/..` gives `a`).
 * @example SecRule REQUEST_FILENAME "@beginsWith /etc/" "id:1,phase:1,t:none,t:normalizePath,deny"
 */
export const normalizePath = defineTransformation({
  name: 'normalizePath',
  aliases: ['normalisePath'],
  transform(input) {
    // Without a dot or a doubled slash there is nothing to normalise.
    if (input.indexOf('.') < 0 && input.indexOf('//') < 0) return input;
    return normalizePathBytes(input, false);
  },
});

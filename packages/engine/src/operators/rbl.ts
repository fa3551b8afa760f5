import { resolve4 } from 'node:dns/promises';
import { defineOperator } from './types';
import { OperatorCompileError } from './errors';

const DEFAULT_TIMEOUT_MS = 500;
/** Answers are kept this long; a DNSBL answer changes slowly and every request asks again. */
const CACHE_TTL_MS = 60_000;
const CACHE_LIMIT = 10_000;

/**
 * The DNS name to query for `input` (ModSecurity's layout), or undefined when there is none to ask: the input
 * cannot be a name, or it is an address and the zone needs a key that is not set (libmodsecurity then skips the
 * lookup: no match).
 */
export function rblQueryName(input: string, zone: string, httpBlKey: string | undefined, needsKey = httpBlKey !== undefined): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/.exec(input);
  let name: string;
  if (m) {
    if (needsKey && (httpBlKey === undefined || httpBlKey === '')) return undefined;
    name = `${m[4]}.${m[3]}.${m[2]}.${m[1]}.${zone}`;
    if (needsKey) name = `${httpBlKey}.${name}`;
  } else {
    // ModSecurity treats anything else as a domain name listed in the zone (URIBL style).
    name = `${input}.${zone}`;
  }
  if (name.length > 253 || !/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/.test(name)) return undefined;
  return name;
}

/**
 * Matches when the input (an IPv4 address, or a domain name) is listed in the DNS block list zone given as
 * argument: the reversed address under the zone resolves. `dnsbl.httpbl.org` needs `SecHttpBlKey`: without it
 * the rule loads with a warning and addresses are not looked up (no match), as in libmodsecurity. Lookups
 * time out (500 ms by default: no match) and answers are cached for a minute. Asynchronous.
 * @example SecRule REMOTE_ADDR "@rbl zen.spamhaus.org" "id:174,phase:1,deny,msg:'Listed in Spamhaus'"
 */
export const rbl = defineOperator({
  name: 'rbl',
  async: true,
  compile(argument, ctx) {
    const zone = argument.text.trim().replace(/\.$/, '');
    if (!/^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/.test(zone)) {
      throw new OperatorCompileError('bad-argument', `@rbl needs a DNS zone such as zen.spamhaus.org, got "${argument.text}"`);
    }
    let key: string | undefined;
    const needsKey = /(?:^|\.)httpbl\.org$/i.test(zone);
    if (needsKey) {
      key = ctx.options.httpBlKey;
      if (key === undefined || key === '') {
        ctx.warn(`@rbl ${zone} needs an access key (SecHttpBlKey before this rule): addresses are not looked up and the rule never matches them, as in libmodsecurity`);
      }
    }
    const resolveName = ctx.options.dnsResolve ?? ((name: string) => resolve4(name));
    const timeoutMs = ctx.options.rblTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const cache = new Map<string, { expires: number; listed: Promise<boolean> }>();

    const lookup = async (name: string): Promise<boolean> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((res) => {
        timer = setTimeout(() => res('timeout'), timeoutMs);
      });
      try {
        const answer = await Promise.race([resolveName(name), timeout]);
        if (answer === 'timeout') {
          cache.delete(name);
          return false;
        }
        return Array.isArray(answer) && answer.length > 0;
      } catch {
        // NXDOMAIN (not listed) or a resolver failure: neither is a listing.
        return false;
      } finally {
        clearTimeout(timer);
      }
    };

    return (input) => {
      const name = rblQueryName(input, zone, key, needsKey);
      if (name === undefined) return false;
      const now = Date.now();
      const hit = cache.get(name);
      if (hit !== undefined && hit.expires > now) return hit.listed;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      const listed = lookup(name);
      cache.set(name, { expires: now + CACHE_TTL_MS, listed });
      return listed;
    };
  },
});

import type { ModsecCase } from './cases';

/**
 * What a case needs beyond the engine itself. `lua`, `geoip`, `maxmind`, `curl`, `ssdeep` and `libxml2` come
 * from the case's `resource` field (ModSecurity's runner skips the case when its build lacks it); the rest is
 * read from the rules, because some cases use such a feature without declaring it.
 */
export type Need = 'lua' | 'xml-schema' | 'libxml2' | 'geoip' | 'network' | 'ssdeep';

export const NEEDS: readonly Need[] = ['lua', 'xml-schema', 'libxml2', 'geoip', 'network', 'ssdeep'];

export function needsOf(c: ModsecCase): Need[] {
  const out = new Set<Need>();
  const r = c.resource.toLowerCase();
  if (r === 'lua' || /SecRuleScript|\.lua\b/i.test(c.rules)) out.add('lua');
  // DTD and schema validation need libxml2's validator; other libxml2 cases need only an XML parser.
  if (/@validate(DTD|Schema)\b/i.test(c.rules)) out.add('xml-schema');
  else if (r === 'libxml2') out.add('libxml2');
  if (r === 'geoip' || r === 'maxmind' || /@geoLookup\b|SecGeoLookupDb/i.test(c.rules)) out.add('geoip');
  if (r === 'curl' || /@rbl\b|SecRemoteRules|FromFile\s+https?:/i.test(c.rules)) out.add('network');
  if (r === 'ssdeep' || /@fuzzyHash\b/i.test(c.rules)) out.add('ssdeep');
  return NEEDS.filter((n) => out.has(n));
}

/**
 * The group a case is counted in: the first need of the list (lua before the others), or `core` for cases
 * that need only the engine.
 */
export function groupOf(needs: readonly Need[]): Need | 'core' {
  return needs[0] ?? 'core';
}

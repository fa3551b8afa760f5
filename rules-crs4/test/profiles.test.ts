import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configureCrsSetup, crsConfig, engineConfig, readCrsSetup, TEST_MARKER_RULE, UNICODE_MAP_FILE } from '../src';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'crs4');
/** Debian's modsecurity-crs package (CRS 3.3.4), installed by scripts/bootstrap.sh. */
const DEBIAN = '/usr/share/modsecurity-crs';

describe('configurations', () => {
  it('engineConfig carries the base rules 200000-200007 and the limits', () => {
    const text = engineConfig();
    for (const id of [200000, 200001, 200002, 200003, 200004, 200005, 200006, 200007]) expect(text).toContain(`id:${id},`);
    expect(text).toMatch(/^SecRuleEngine On$/m);
    expect(text).toMatch(/^SecRequestBodyLimit 13107200$/m);
    expect(text).toMatch(/^SecArgumentsLimit 1000$/m);
    expect(text).toMatch(/^SecResponseBodyMimeType text\/plain text\/html text\/xml$/m);
    // modsecurity.conf-recommended's unicode map, from the table this package ships.
    expect(text).toContain(`SecUnicodeMapFile "${UNICODE_MAP_FILE}" 20127`);
    expect(engineConfig({ unicodeMapFile: '/x/unicode.mapping' })).toContain('SecUnicodeMapFile "/x/unicode.mapping" 20127');
    expect(engineConfig({ unicodeMapFile: false })).not.toContain('SecUnicodeMapFile');
  });

  it('configureCrsSetup uncomments the example rule and sets its value', () => {
    const out = configureCrsSetup(readCrsSetup(SHARED), { settings: [{ id: 900000, variable: 'blocking_paranoia_level', value: 3 }] });
    expect(out).toContain(
      ['SecAction \\', '    "id:900000,\\', '    phase:1,\\', '    pass,\\', '    t:none,\\', '    nolog,\\', "    tag:'OWASP_CRS',\\", "    ver:'OWASP_CRS/4.28.0',\\", '    setvar:tx.blocking_paranoia_level=3"'].join('\n'),
    );
    expect(() => configureCrsSetup('nothing here', { settings: [{ id: 900000, variable: 'x', value: 1 }] })).toThrow(/no rule with id 900000/);
    expect(() => configureCrsSetup(readCrsSetup(SHARED), { settings: [{ id: 900000, variable: 'nope', value: 1 }] })).toThrow(/does not set tx\.nope/);
  });

  it('the crs-ci profile is crs-regression.md 5.2-5.3', () => {
    const { directives, baseDir } = crsConfig({ profile: 'crs-ci', crsDir: SHARED });
    expect(baseDir).toBe(SHARED);
    expect(directives).toMatch(/^SecRuleEngine DetectionOnly$/m);
    expect(directives).toMatch(/^SecResponseBodyMimeType text\/plain text\/html text\/xml application\/json$/m);
    expect(directives).toMatch(/^SecResponseBodyLimit 1048576$/m);
    expect(directives).toContain('setvar:tx.blocking_paranoia_level=4"');
    expect(directives).toContain('setvar:tx.arg_length=400"');
    expect(directives).toContain('setvar:tx.total_arg_length=6400"');
    expect(directives).toContain('setvar:tx.max_file_size=64100"');
    expect(directives).toContain('setvar:tx.combined_file_sizes=65535"');
    expect(directives).toContain(TEST_MARKER_RULE);
    // Only the image's default actions are active.
    expect(directives.match(/^SecDefaultAction .*$/gm)).toEqual([
      'SecDefaultAction "phase:1,pass,log,tag:\'modsecurity\'"',
      'SecDefaultAction "phase:2,pass,log,tag:\'modsecurity\'"',
    ]);
    // The marker rule comes after crs-setup's settings and before every CRS rule.
    const marker = directives.indexOf('id:999999');
    expect(marker).toBeGreaterThan(directives.indexOf('id:900990'));
    const includes = directives.match(/^Include "(.*)"$/gm) ?? [];
    expect(includes).toHaveLength(27);
    expect(includes[0]).toBe(`Include "${SHARED}/rules/REQUEST-901-INITIALIZATION.conf"`);
    expect(includes[26]).toBe(`Include "${SHARED}/rules/RESPONSE-980-CORRELATION.conf"`);
    expect(directives.indexOf('\nInclude "')).toBeGreaterThan(marker);
  });

  it.each([1, 2, 3, 4])('profile pl%i blocks at that paranoia level', (level) => {
    const { directives } = crsConfig({ profile: `pl${level}` as 'pl1', crsDir: SHARED });
    expect(directives).toMatch(/^SecRuleEngine On$/m);
    expect(directives).toContain(`setvar:tx.blocking_paranoia_level=${level}"`);
    expect(directives).not.toContain('id:999999');
    expect(directives.match(/^SecDefaultAction .*$/gm)).toEqual([1, 2, 3, 4, 5].map((p) => `SecDefaultAction "phase:${p},log,auditlog,pass"`));
  });

  it('CRS 3 profiles set tx.paranoia_level, and Debian\'s exclusion files sit around the rules', () => {
    expect(existsSync(DEBIAN)).toBe(true); // run scripts/bootstrap.sh: it installs Debian's modsecurity-crs
    const c = crsConfig({ profile: 'pl2', crsDir: DEBIAN });
    expect(c.version).toBe('3.3.4');
    expect(c.directives).toContain('setvar:tx.paranoia_level=2"');
    expect(c.directives).not.toContain('blocking_paranoia_level=');
    expect(c.directives).toContain('# crs-setup.conf of CRS 3.3.4 (paranoia level 2)');
    const includes = c.directives.match(/^Include "(.*)"$/gm) ?? [];
    expect(includes[0]).toBe('Include "/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"');
    expect(includes[1]).toBe(`Include "${DEBIAN}/rules/REQUEST-901-INITIALIZATION.conf"`);
    expect(includes[includes.length - 1]).toBe('Include "/etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"');
    expect(crsConfig({ profile: 'crs-ci', crsDir: DEBIAN }).directives).toContain('setvar:tx.paranoia_level=4"');
  });

  it('includes plugins in CRS\'s order: configs, before-rules, the rules, after-rules', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crs-plugins-'));
    try {
      for (const f of ['b-after.conf', 'a-config.conf', 'b-before.conf', 'a-before.conf', 'a-after.conf', 'a-rules.data', 'README.md']) {
        writeFileSync(path.join(dir, f), '# plugin file\n');
      }
      mkdirSync(path.join(dir, 'c-before.conf')); // a directory is not a plugin file
      const c = crsConfig({ profile: 'pl1', crsDir: SHARED, pluginsDir: dir });
      expect(c.plugins?.dir).toBe(dir);
      const includes = (c.directives.match(/^Include "(.*)"$/gm) ?? []).map((l) => l.slice(9, -1));
      const names = includes.map((f) => (f.startsWith(dir) ? path.basename(f) : f.startsWith(SHARED) ? 'CRS' : f));
      expect(names.filter((n, i) => n !== 'CRS' || names[i - 1] !== 'CRS')).toEqual(['a-config.conf', 'a-before.conf', 'b-before.conf', 'CRS', 'a-after.conf', 'b-after.conf']);
      expect(() => crsConfig({ profile: 'pl1', crsDir: SHARED, pluginsDir: path.join(dir, 'missing') })).toThrow(/plugin directory .* does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unknown profiles', () => {
    expect(() => crsConfig({ profile: 'pl9' as 'pl1', crsDir: SHARED })).toThrow(/unknown CRS profile/);
  });
});

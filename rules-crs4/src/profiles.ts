import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configureCrsSetup, type CrsSetting } from './crs-setup';
import { engineConfig } from './engine-config';
import { CrsError } from './errors';
import { type CrsPluginFiles, readPluginDir } from './plugins';
import { type CrsTree, readCrsTree } from './tree';

export type CrsProfile = 'pl1' | 'pl2' | 'pl3' | 'pl4' | 'crs-ci';

export const CRS_PROFILES: readonly CrsProfile[] = ['pl1', 'pl2', 'pl3', 'pl4', 'crs-ci'];

export interface CrsConfigOptions {
  readonly profile: CrsProfile;
  /** A located CRS copy (see locateCrs): any 3.x or 4.x tree; the settings follow its release. */
  readonly crsDir: string;
  /** Passed to engineConfig (default: the shipped code page 20127 table; false: none). */
  readonly unicodeMapFile?: string | false;
  /**
   * CRS plugins (`*-config.conf`, `*-before.conf`, `*-after.conf`), included in CRS's order. Default: the tree's
   * own `plugins/` directory when it has one; a directory given here is used instead.
   */
  readonly pluginsDir?: string;
}

export interface CrsConfig {
  /** SecLang text: engine settings, the edited crs-setup inline, then an Include of each rule file. */
  readonly directives: string;
  /** Directory that relative paths resolve against (data files resolve against their rule file anyway). */
  readonly baseDir: string;
  readonly profile: CrsProfile;
  /** The release the configuration was written for (read from the tree). */
  readonly version: string;
  /** The plugin directory included, if any. */
  readonly plugins: CrsPluginFiles | undefined;
}

/**
 * The crs-setup variable that sets the paranoia level the rules block at: CRS 4 split CRS 3's
 * `tx.paranoia_level` into `tx.blocking_paranoia_level` and `tx.detection_paranoia_level`.
 */
export function paranoiaVariable(major: 3 | 4): string {
  return major === 3 ? 'paranoia_level' : 'blocking_paranoia_level';
}

/** The marker rule CRS CI appends to crs-setup (CRS_ENABLE_TEST_MARKER=1): go-ftw finds each test's log lines by it. */
export const TEST_MARKER_RULE = [
  '# go-ftw log marker (CRS_ENABLE_TEST_MARKER=1): logs the X-CRS-Test header and nothing else for that request.',
  'SecRule REQUEST_HEADERS:X-CRS-Test "@rx ^.*$" \\',
  '    "id:999999,\\',
  '    phase:1,\\',
  '    pass,\\',
  '    t:none,\\',
  '    log,\\',
  "    msg:'%{MATCHED_VAR}',\\",
  '    ctl:ruleRemoveById=1-999999"',
  '',
].join('\n');

/** crs-regression.md 5.2-5.3: the env of tests/docker-compose.yml as configure-rules.sh applies it (CRS 4). */
export const CRS_CI_SETTINGS: readonly CrsSetting[] = [
  { id: 900000, variable: 'blocking_paranoia_level', value: 4 },
  // Not set by CRS's docker CI, which overrides 920380-1 and 920360-1 instead (httpd-overrides.yaml); the tests'
  // own metadata says they need these set ("MAX_NUM_ARGS / ARG_NAME_LENGTH needs to be set in crs-setup"), so we
  // set crs-setup.conf.example's documented example values and run the suite with no overrides.
  { id: 900300, variable: 'max_num_args', value: 255 },
  { id: 900310, variable: 'arg_name_length', value: 100 },
  { id: 900320, variable: 'arg_length', value: 400 },
  { id: 900330, variable: 'total_arg_length', value: 6400 },
  { id: 900340, variable: 'max_file_size', value: 64100 },
  { id: 900350, variable: 'combined_file_sizes', value: 65535 },
];

/** The image's modsecurity.conf defaults, which replace crs-setup's SecDefaultAction lines. */
const CRS_CI_DEFAULT_ACTIONS = [
  'SecDefaultAction "phase:1,pass,log,tag:\'modsecurity\'"',
  'SecDefaultAction "phase:2,pass,log,tag:\'modsecurity\'"',
  '',
].join('\n');

/** CRS_CI_SETTINGS for a release: CRS 3 names the paranoia level `tx.paranoia_level`. */
export function crsCiSettings(major: 3 | 4): CrsSetting[] {
  return CRS_CI_SETTINGS.map((s) => (s.id === 900000 ? { ...s, variable: paranoiaVariable(major) } : s));
}

/** rules/*.conf in name order, the order `Include rules/*.conf` loads them (the .example files are not rules). */
export function crsRuleFiles(crsDir: string): string[] {
  const rulesDir = path.join(crsDir, 'rules');
  const files = readdirSync(rulesDir)
    .filter((f) => f.endsWith('.conf'))
    .sort()
    .map((f) => path.join(rulesDir, f));
  if (files.length === 0) throw new CrsError('CRS_NOT_FOUND', `no rule files in ${rulesDir}`);
  return files;
}

function quoteInclude(file: string): string {
  return `Include "${file.replace(/\\/g, '/')}"`;
}

/**
 * A complete configuration for a profile, written for the tree's release (CRS 3.x or 4.x). `pl1`..`pl4`: the
 * recommended engine settings (blocking, the code page 20127 unicode map) with CRS at that paranoia level
 * (`tx.paranoia_level` on CRS 3, `tx.blocking_paranoia_level` on CRS 4). `crs-ci`: what CRS's CI runs the
 * regression suite against (DetectionOnly, PL4, the argument and file limits, the image's default actions, the
 * X-CRS-Test marker rule 999999). Plugins and a distribution's exclusion files are included in CRS's order.
 *
 * @example
 *   const crs = locateCrs();
 *   const { directives, baseDir } = crsConfig({ profile: 'pl2', crsDir: crs.dir });
 *   const waf = await createWaf({ directives, baseDir });
 */
export function crsConfig(options: CrsConfigOptions): CrsConfig {
  const tree: CrsTree = readCrsTree(options.crsDir);
  const setupTemplate = readFileSync(tree.setupFile, 'utf8');
  const unicode = options.unicodeMapFile !== undefined ? { unicodeMapFile: options.unicodeMapFile } : {};
  const parts: string[] = [];
  if (options.profile === 'crs-ci') {
    parts.push(
      engineConfig({
        ruleEngine: 'DetectionOnly',
        responseBodyMimeTypes: ['text/plain', 'text/html', 'text/xml', 'application/json'],
        responseBodyLimit: 1048576,
        ...unicode,
      }),
      CRS_CI_DEFAULT_ACTIONS,
      `# crs-setup.conf of CRS ${tree.version} (CRS CI: tests/docker-compose.yml env)`,
      configureCrsSetup(setupTemplate, { settings: crsCiSettings(tree.major), commentOutDefaultActions: true, append: TEST_MARKER_RULE }),
    );
  } else {
    const level = Number(options.profile.slice(2));
    if (!CRS_PROFILES.includes(options.profile) || !(level >= 1 && level <= 4)) {
      throw new CrsError('CRS_SETUP_INVALID', `unknown CRS profile ${String(options.profile)}`);
    }
    parts.push(
      engineConfig({ ruleEngine: 'On', ...unicode }),
      `# crs-setup.conf of CRS ${tree.version} (paranoia level ${level})`,
      configureCrsSetup(setupTemplate, { settings: [{ id: 900000, variable: paranoiaVariable(tree.major), value: level }] }),
    );
  }
  const defaultPlugins = path.join(tree.dir, 'plugins');
  const pluginsDir = options.pluginsDir ?? (existsSync(defaultPlugins) ? defaultPlugins : undefined);
  const plugins = pluginsDir !== undefined ? readPluginDir(pluginsDir) : undefined;
  // CRS's order: setup, plugin configs, plugin before-rules, the rules, plugin after-rules. A distribution's own
  // exclusion files (Debian's REQUEST-900 / RESPONSE-999 in /etc/modsecurity/crs) sit next to the rules.
  if (plugins && plugins.config.length > 0) parts.push(`# CRS plugins: configuration (${plugins.dir})`, ...plugins.config.map(quoteInclude));
  if (tree.beforeRules.length > 0) parts.push('# exclusions before the CRS rules', ...tree.beforeRules.map(quoteInclude));
  if (plugins && plugins.before.length > 0) parts.push('# CRS plugins: before the rules', ...plugins.before.map(quoteInclude));
  parts.push(`# OWASP CRS ${tree.version} rules`, ...crsRuleFiles(tree.dir).map(quoteInclude));
  if (plugins && plugins.after.length > 0) parts.push('# CRS plugins: after the rules', ...plugins.after.map(quoteInclude));
  if (tree.afterRules.length > 0) parts.push('# exclusions after the CRS rules', ...tree.afterRules.map(quoteInclude));
  parts.push('');
  return { directives: parts.join('\n'), baseDir: tree.dir, profile: options.profile, version: tree.version, plugins };
}

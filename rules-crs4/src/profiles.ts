import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { configureCrsSetup, type CrsSetting, readCrsSetup } from './crs-setup';
import { engineConfig } from './engine-config';
import { CrsError } from './errors';

export type CrsProfile = 'pl1' | 'pl2' | 'pl3' | 'pl4' | 'crs-ci';

export const CRS_PROFILES: readonly CrsProfile[] = ['pl1', 'pl2', 'pl3', 'pl4', 'crs-ci'];

export interface CrsConfigOptions {
  readonly profile: CrsProfile;
  /** A located (and verified) CRS copy: see locateCrs. */
  readonly crsDir: string;
  /** Passed to engineConfig. */
  readonly unicodeMapFile?: string;
}

export interface CrsConfig {
  /** SecLang text: engine settings, the edited crs-setup inline, then an Include of each rule file. */
  readonly directives: string;
  /** Directory that relative paths resolve against (data files resolve against their rule file anyway). */
  readonly baseDir: string;
  readonly profile: CrsProfile;
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

/** crs-regression.md 5.2-5.3: the env of tests/docker-compose.yml as configure-rules.sh applies it. */
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
 * A complete configuration for a profile. `pl1`..`pl4`: the recommended engine settings (blocking) with CRS at
 * that blocking paranoia level. `crs-ci`: what CRS's CI runs the regression suite against (DetectionOnly, PL4,
 * the argument and file limits, the image's default actions, the X-CRS-Test marker rule 999999).
 *
 * @example
 *   const crs = locateCrs();
 *   const { directives, baseDir } = crsConfig({ profile: 'pl2', crsDir: crs.dir });
 *   const waf = await createWaf({ directives, baseDir });
 */
export function crsConfig(options: CrsConfigOptions): CrsConfig {
  const crsDir = path.resolve(options.crsDir);
  const setupTemplate = readCrsSetup(crsDir);
  const parts: string[] = [];
  if (options.profile === 'crs-ci') {
    parts.push(
      engineConfig({
        ruleEngine: 'DetectionOnly',
        responseBodyMimeTypes: ['text/plain', 'text/html', 'text/xml', 'application/json'],
        responseBodyLimit: 1048576,
        ...(options.unicodeMapFile !== undefined ? { unicodeMapFile: options.unicodeMapFile } : {}),
      }),
      CRS_CI_DEFAULT_ACTIONS,
      '# crs-setup.conf (CRS CI: tests/docker-compose.yml env)',
      configureCrsSetup(setupTemplate, { settings: CRS_CI_SETTINGS, commentOutDefaultActions: true, append: TEST_MARKER_RULE }),
    );
  } else {
    const level = Number(options.profile.slice(2));
    if (!CRS_PROFILES.includes(options.profile) || !(level >= 1 && level <= 4)) {
      throw new CrsError('CRS_SETUP_INVALID', `unknown CRS profile ${String(options.profile)}`);
    }
    parts.push(
      engineConfig({
        ruleEngine: 'On',
        ...(options.unicodeMapFile !== undefined ? { unicodeMapFile: options.unicodeMapFile } : {}),
      }),
      `# crs-setup.conf (paranoia level ${level})`,
      configureCrsSetup(setupTemplate, { settings: [{ id: 900000, variable: 'blocking_paranoia_level', value: level }] }),
    );
  }
  parts.push('# OWASP CRS rules', ...crsRuleFiles(crsDir).map(quoteInclude), '');
  return { directives: parts.join('\n'), baseDir: crsDir, profile: options.profile };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint } from '../src';

const crs = path.resolve(__dirname, '../../../../shared/crs4');
const ruleFiles = fs
  .readdirSync(path.join(crs, 'rules'))
  .filter((f) => f.endsWith('.conf'))
  .sort()
  .map((f) => path.join(crs, 'rules', f));
const setup = path.join(crs, 'crs-setup.conf.example');
const show = (d: { loc: { file: string; line: number; column: number }; severity: string; check: string }) =>
  `${path.basename(d.loc.file)}:${d.loc.line}:${d.loc.column} ${d.severity} ${d.check}`;

/**
 * The one finding on CRS 4.28.0 is real: rule 932171 (Shellshock in argument names) anchors `^\(` on
 * ARGS_NAMES and so misses JSON keys, which ModSecurity v3, Coraza and Rampart name `json.<key>`. CRS fixed it
 * after 4.28.0 (coreruleset PR 4703). It is a warning.
 */
const CRS_932171 = 'REQUEST-932-APPLICATION-ATTACK-RCE.conf:758:38 warning args-names-json-prefix';

/** Each test compiles CRS with the engine: seconds on a quiet machine, more on a loaded one. */
jest.setTimeout(120_000);

describe('CRS 4.28.0', () => {
  it('rules/*.conf lint without errors, with the counts of docs/seclang-crs4.md', async () => {
    const result = lint(ruleFiles);
    expect(result.diagnostics.map(show)).toEqual([CRS_932171]);
    // 695 SecRule (73 of them chained), 7 SecAction, 30 SecMarker, 55 SecRuleUpdateTargetById, 1 SecComponentSignature.
    expect(result.stats).toEqual({ files: 27, directives: 788, rulesWithId: 629, chainedRules: 73, rxPatterns: 318 });
  });

  it('with crs-setup.conf.example: its 5 SecDefaultAction and SecAction 900990 come on top', async () => {
    const result = lint([setup, ...ruleFiles]);
    expect(result.diagnostics.map(show)).toEqual([CRS_932171]);
    expect(result.stats).toEqual({ files: 28, directives: 794, rulesWithId: 630, chainedRules: 73, rxPatterns: 318 });
  });

  it('passes every check of the crs profile, as crs-linter passes it in CRS\'s CI', async () => {
    const result = lint([setup, ...ruleFiles], { profile: 'crs' });
    expect(result.diagnostics.map(show)).toEqual([CRS_932171]);
  });
});

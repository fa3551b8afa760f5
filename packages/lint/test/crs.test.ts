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

describe('CRS 4.28.0', () => {
  it('rules/*.conf lint clean, with the counts of docs/seclang-crs4.md', async () => {
    const result = lint(ruleFiles);
    expect(result.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}:${d.loc.column} ${d.check}: ${d.message}`)).toEqual([]);
    // 695 SecRule (73 of them chained), 7 SecAction, 30 SecMarker, 55 SecRuleUpdateTargetById, 1 SecComponentSignature.
    expect(result.stats).toEqual({ files: 27, directives: 788, rulesWithId: 629, chainedRules: 73, rxPatterns: 318 });
  });

  it('with crs-setup.conf.example: its 5 SecDefaultAction and SecAction 900990 come on top', async () => {
    const result = lint([setup, ...ruleFiles]);
    expect(result.diagnostics).toEqual([]);
    expect(result.stats).toEqual({ files: 28, directives: 794, rulesWithId: 630, chainedRules: 73, rxPatterns: 318 });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../src';
import type { CliIo } from '../src';

const fixtures = path.resolve(__dirname, 'fixtures');
const crs = path.resolve(__dirname, '../../../../shared/crs4');

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: fixtures };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('rampart', () => {
  it('--help lists the subcommands and exits 0', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rampart <command>/);
    expect(r.stdout).toMatch(/\n {2}lint {2}check SecLang rule files/);
  });

  it('without a command prints the help on stderr and exits 2', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: rampart/);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8'));
    expect(await run('--version')).toEqual({ code: 0, stdout: `rampart ${pkg.version}\n`, stderr: '' });
  });

  it('an unknown command exits 2', async () => {
    const r = await run('lnt', 'x.conf');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rampart: unknown command 'lnt'/);
  });
});

describe('rampart lint', () => {
  it('--help exits 0', async () => {
    const r = await run('lint', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: rampart lint \[options\] FILE\.\.\./);
  });

  it('exits 0 and prints nothing for a clean file', async () => {
    expect(await run('lint', 'clean.conf')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 with one text line per finding, all of them', async () => {
    const r = await run('lint', 'bad.conf');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe("bad.conf:2:9: error: unknown variable 'ARGZ' [unknown-variable]");
    // RE2's own message follows the prefix.
    expect(lines[1]).toMatch(/^bad\.conf:2:15: error: invalid regex in @rx: missing \).* \[regex-re2\]$/);
    expect(lines[2]).toBe('bad.conf:2:23: error: duplicate id 1, first used at line 1:23 [duplicate-id]');
    expect(lines.slice(3)).toEqual(['', '3 errors, 0 warnings', '']);
    expect(r.stderr).toBe('');
  });

  it.each([
    ['json', (out: string) => expect(JSON.parse(out).diagnostics).toHaveLength(3)],
    ['sarif', (out: string) => expect(JSON.parse(out).runs[0].results).toHaveLength(3)],
    ['github', (out: string) => expect(out.split('\n')[0]).toBe("::error file=bad.conf,line=2,col=9,endLine=2,endColumn=12,title=unknown-variable::unknown variable 'ARGZ'")],
  ])('--format %s', async (format, verify) => {
    const r = await run('lint', '--format', format, 'bad.conf');
    expect(r.code).toBe(1);
    verify(r.stdout);
    const r2 = await run('lint', `--format=${format}`, 'bad.conf');
    expect(r2.stdout).toBe(r.stdout);
  });

  it('exits 0 for warnings alone, 1 past --max-warnings', async () => {
    const warn = await run('lint', 'warning.conf');
    expect(warn.code).toBe(0);
    expect(warn.stdout).toMatch(/^warning\.conf:1:1: warning: SecAction has no phase/);
    expect((await run('lint', '--max-warnings', '1', 'warning.conf')).code).toBe(0);
    expect((await run('lint', '--max-warnings=0', 'warning.conf')).code).toBe(1);
    expect((await run('lint', '--max-warnings', 'x', 'warning.conf')).code).toBe(2);
  });

  it('--disable leaves checks out; an unknown check name is bad usage', async () => {
    const r = await run('lint', '--disable', 'unknown-variable,regex-re2', 'bad.conf');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('bad.conf:2:23: error: duplicate id 1, first used at line 1:23 [duplicate-id]');
    expect(r.stdout).toMatch(/\n1 error, 0 warnings\n$/);
    expect((await run('lint', '--disable=duplicate-id,unknown-variable,regex-re2', 'bad.conf')).code).toBe(0);
    const bad = await run('lint', '--disable', 'no-such-check', 'bad.conf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown check 'no-such-check'/);
  });

  it('--list-checks lists every check', async () => {
    const r = await run('lint', '--list-checks');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^action-value +error +An action/);
    expect(r.stdout).toMatch(/\nskip-after-target +warning +/);
  });

  it('exits 2 for a missing file, before linting anything', async () => {
    const r = await run('lint', 'clean.conf', 'nope.conf');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rampart lint: cannot read .*nope\.conf: ENOENT/);
  });

  it('exits 2 for a directory, an unknown format, an unknown option or no file', async () => {
    expect((await run('lint', '.')).code).toBe(2);
    const format = await run('lint', '--format', 'xml', 'clean.conf');
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/unknown format 'xml'/);
    const option = await run('lint', '--frobnicate', 'clean.conf');
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--frobnicate'/);
    expect((await run('lint')).stderr).toMatch(/no files to lint/);
    expect((await run('lint', '--format')).stderr).toMatch(/needs a value/);
  });

  it('lints CRS 4 clean and prints its statistics', async () => {
    const rules = fs.readdirSync(path.join(crs, 'rules')).filter((f) => f.endsWith('.conf')).map((f) => path.join(crs, 'rules', f));
    const r = await run('lint', '--stats', path.join(crs, 'crs-setup.conf.example'), ...rules);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('files: 28\ndirectives: 794\nrules with ids: 630\nchained rules: 73\n@rx patterns: 318\n');
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
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
    expect(r.stdout).toMatch(/\n {2}lint +check SecLang rule files/);
    expect(r.stdout).toMatch(/\n {2}explain +show how the rules treated one request/);
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
    // What the engine says of the pattern, in its words.
    expect(lines[1]).toMatch(/^bad\.conf:2:15: error: @rx: .* \[regex-re2\]$/);
    expect(lines[2]).toBe(`bad.conf:2:23: error: duplicate rule id 1 (first defined at ${path.join(fixtures, 'bad.conf')}:1) [duplicate-id]`);
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
    // What the engine refuses stays an error (lint = load): engine-load reports it where the engine does.
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      "bad.conf:2:1: error: unknown variable 'ARGZ' [engine-load]",
      expect.stringMatching(/^bad\.conf:2:15: error: @rx: .* \[engine-load\]$/),
      expect.stringMatching(/^bad\.conf:2:23: error: duplicate rule id 1 .*\[duplicate-id\]$/),
    ]);
    expect(r.stdout).toMatch(/\n3 errors, 0 warnings\n$/);
    expect((await run('lint', '--disable=duplicate-id,unknown-variable,regex-re2,engine-load', 'bad.conf')).code).toBe(0);
    const bad = await run('lint', '--disable', 'no-such-check', 'bad.conf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown check 'no-such-check'/);
  });

  it('--list-checks lists every check', async () => {
    const r = await run('lint', '--list-checks');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^action-value +error +generic,crs +An action/);
    expect(r.stdout).toMatch(/\nskip-after-target +warning +generic,crs +/);
    expect(r.stdout).toMatch(/\ncrs-action-order +error +crs +fix +Actions out of CRS's order/);
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

  it('lints CRS 4 without errors under --profile crs and prints its statistics', async () => {
    const rules = fs.readdirSync(path.join(crs, 'rules')).filter((f) => f.endsWith('.conf')).map((f) => path.join(crs, 'rules', f));
    const r = await run('lint', '--profile', 'crs', '--stats', path.join(crs, 'crs-setup.conf.example'), ...rules);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The one finding is a real CRS issue (rule 932171 misses JSON argument names), fixed after 4.28.0.
    expect(r.stdout).toMatch(/^\S*REQUEST-932-APPLICATION-ATTACK-RCE\.conf:758:38: warning: ARGS_NAMES with a pattern anchored by '\^'.* \[args-names-json-prefix\]\n\n0 errors, 1 warning\n\n/);
    expect(r.stdout).toMatch(/\nfiles: 28\ndirectives: 794\nrules with ids: 630\nchained rules: 73\n@rx patterns: 318\n$/);
  }, 120_000);

  it('--profile crs adds CRS\'s consistency checks; an unknown profile is bad usage', async () => {
    const generic = await run('lint', 'crs-style.conf');
    expect(generic).toEqual({ code: 0, stdout: '', stderr: '' });
    const crsProfile = await run('lint', '-p', 'crs', 'crs-style.conf');
    expect(crsProfile.code).toBe(1);
    expect(crsProfile.stdout).toMatch(/crs-style\.conf:1:15: error: operator '@beginswith' is written '@beginsWith' in CRS \[crs-name-case\]/);
    const bad = await run('lint', '--profile', 'strict', 'clean.conf');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown profile 'strict' \(use generic or crs\)/);
  });

  it('--crs-approved-tags names the list of tags rules may carry', async () => {
    const r = await run('lint', '--profile', 'crs', '--crs-approved-tags', 'approved-tags.txt', 'tagged.conf');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^tagged\.conf:1:63: error: tag 'unlisted' is not in fixtures\/approved-tags\.txt.* \[crs-approved-tags\]$/m);
    expect((await run('lint', '--profile', 'crs', 'tagged.conf')).stdout).not.toMatch(/crs-approved-tags/);
  });

  it('--fix rewrites the file, says so, and reports what is left', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-fix-'));
    try {
      const file = path.join(dir, 'rules.conf');
      fs.copyFileSync(path.join(fixtures, 'crs-style.conf'), file);
      let stderr = '';
      let stdout = '';
      const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir };
      expect(await main(['lint', '--profile', 'crs', '--fix', 'rules.conf'], io)).toBe(0);
      expect(stderr).toBe('rampart lint: fixed 1 file: rules.conf\n');
      expect(stdout).toBe('');
      expect(fs.readFileSync(file, 'latin1')).toBe('SecRule ARGS "@beginsWith /admin" \\\n    "id:1,\\\n    phase:1,\\\n    deny,\\\n    t:none,t:lowercase"\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

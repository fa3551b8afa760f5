import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic, IncludeNode } from '../src';
import { parse, parseFile, parseFiles, print } from '../src';

function where(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${path.basename(d.loc.file)}:${d.loc.line}:${d.loc.column}`);
}

/** A throw-away directory tree; files given as relative path -> content. */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-seclang-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, 'latin1');
  }
  return root;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function mk(files: Record<string, string>): string {
  const d = tree(files);
  dirs.push(d);
  return d;
}

describe('Include', () => {
  test('globs expand in sorted order, relative to the including file, and the directives follow the Include', () => {
    const root = mk({
      'main.conf': 'SecMarker BEFORE\nInclude rules/*.conf\nSecMarker AFTER\n',
      'rules/b.conf': 'SecMarker B\n',
      'rules/a.conf': 'SecMarker A\nInclude ../more/x?.conf\n',
      'rules/c.txt': 'SecMarker NOT-INCLUDED\n',
      'more/x1.conf': 'SecMarker X1\n',
      'more/x2.conf': 'SecMarker X2\n',
    });
    const r = parseFile(path.join(root, 'main.conf'));
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.directives.map((d) => (d.kind === 'SecMarker' ? d.label : d.kind))).toEqual([
      'BEFORE',
      'Include',
      'A',
      'Include',
      'X1',
      'X2',
      'B',
      'AFTER',
    ]);
    const inc = r.ast.directives[1] as IncludeNode;
    expect(inc.files).toEqual([path.join(root, 'rules/a.conf'), path.join(root, 'rules/b.conf')]);
    expect(r.ast.files).toEqual([
      path.join(root, 'main.conf'),
      path.join(root, 'rules/a.conf'),
      path.join(root, 'more/x1.conf'),
      path.join(root, 'more/x2.conf'),
      path.join(root, 'rules/b.conf'),
    ]);
    // Locations name the file each directive came from.
    expect(r.ast.directives[2]?.loc).toMatchObject({ file: path.join(root, 'rules/a.conf'), line: 1, column: 1 });
    // The printer prints the entry file, leaving the Includes to pull their files in again.
    expect(print(r.ast)).toBe('SecMarker BEFORE\nInclude rules/*.conf\nSecMarker AFTER\n');
  });

  test('character classes in globs', () => {
    const root = mk({ 'm.conf': 'Include "r/[ab]*.conf"\n', 'r/a1.conf': 'SecMarker A\n', 'r/b1.conf': 'SecMarker B\n', 'r/c1.conf': 'SecMarker C\n' });
    const r = parseFile(path.join(root, 'm.conf'));
    expect(r.ast.directives.map((d) => (d.kind === 'SecMarker' ? d.label : d.kind))).toEqual(['Include', 'A', 'B']);
  });

  test('a missing file and a glob matching nothing are errors at the Include', () => {
    const root = mk({ 'm.conf': 'SecMarker A\n  Include nothere.conf\nInclude "none/*.conf"\nSecMarker B\n' });
    const r = parseFile(path.join(root, 'm.conf'));
    expect(where(r.diagnostics)).toEqual(['include-missing@m.conf:2:3', 'include-missing@m.conf:3:1']);
    expect(r.diagnostics[0]?.message).toContain('nothere.conf');
    expect(r.ast.directives.map((d) => d.kind)).toEqual(['SecMarker', 'Include', 'Include', 'SecMarker']);
  });

  test('cycles are errors at the Include that closes them, and parsing goes on', () => {
    const root = mk({
      'a.conf': 'SecMarker A\nInclude b.conf\n',
      'b.conf': 'SecMarker B\nInclude a.conf\nInclude b.conf\nSecMarker B2\n',
    });
    const r = parseFile(path.join(root, 'a.conf'));
    expect(where(r.diagnostics)).toEqual(['include-cycle@b.conf:2:1', 'include-cycle@b.conf:3:1']);
    expect(r.diagnostics[0]?.message).toContain('a.conf -> ');
    expect(r.ast.directives.map((d) => (d.kind === 'SecMarker' ? d.label : d.kind))).toEqual(['A', 'Include', 'B', 'Include', 'Include', 'B2']);
  });

  test('an injected reader: parse(text) follows Includes from baseDir when asked', () => {
    const files: Record<string, string> = { '/virtual/x.conf': 'SecRule ARGS "@rx a" "id:1,chain"\n' };
    const readFile = (p: string) => {
      const t = files[p];
      if (t === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return t;
    };
    const r = parse('Include x.conf\nSecAction "pass"\n', { followIncludes: true, baseDir: '/virtual', readFile });
    expect(r.diagnostics).toEqual([]);
    // The chain continues across the end of the included file, as ModSecurity reads one stream of rules.
    expect(r.ast.directives.map((d) => d.kind)).toEqual(['Include', 'SecRule']);
    expect(r.ast.files).toEqual(['/virtual/x.conf']);
    // Without followIncludes, nothing is read.
    expect(parse('Include x.conf', { baseDir: '/virtual', readFile }).ast.directives).toHaveLength(1);
  });

  test('include bombs (files included many times over, without a cycle) are bounded', () => {
    // f0 includes f1 twice, f1 includes f2 twice, ...: 2^20 reads without a limit.
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`/bomb/f${i}.conf`] = `Include f${i + 1}.conf\nInclude f${i + 1}.conf\n`;
    files['/bomb/f20.conf'] = 'SecMarker LEAF\n';
    const readFile = (p: string) => files[p] ?? '';
    const t0 = Date.now();
    const r = parse('Include f0.conf', { followIncludes: true, baseDir: '/bomb', readFile });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.ast.files.length).toBe(10_000);
    expect(r.diagnostics.some((d) => d.code === 'include-limit')).toBe(true);
  });

  test('an unreadable entry file is a diagnostic, not an exception', () => {
    const r = parseFile('/nonexistent/dir/x.conf');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['file-unreadable']);
    expect(r.ast).toEqual({ directives: [], files: [] });
  });

  test('parseFile: options.file names the entry in locations', () => {
    const root = mk({ 'e.conf': 'SecMarker\n' });
    const r = parseFile(path.join(root, 'e.conf'), { file: 'shown.conf' });
    expect(r.diagnostics.map((d) => d.loc.file)).toEqual(['shown.conf']);
    expect(r.ast.files).toEqual([path.join(root, 'e.conf')]);
  });

  test('parseFiles puts several entries into one AST', () => {
    const root = mk({ '1.conf': 'SecMarker ONE\n', '2.conf': 'SecMarker TWO\n' });
    const r = parseFiles([path.join(root, '1.conf'), path.join(root, '2.conf')]);
    expect(r.ast.directives.map((d) => (d.kind === 'SecMarker' ? d.label : ''))).toEqual(['ONE', 'TWO']);
    expect(r.ast.files).toHaveLength(2);
  });
});

test('a reader that throws non-errors or a broken directory lister never makes parse throw', () => {
  const r = parse('Include a.conf\nInclude d/*.conf\n', {
    followIncludes: true,
    baseDir: '/x',
    readFile: () => {
      throw 'not an Error';
    },
    readDir: () => {
      throw new Error('boom');
    },
    isDirectory: () => {
      throw new Error('boom');
    },
  });
  expect(r.diagnostics.map((d) => d.code)).toEqual(['include-missing', 'include-missing']);
  expect(r.diagnostics[0]?.message).toContain('not an Error');
});

describe('a relative Include not found beside the including file', () => {
  test('is looked for from the first configuration\'s directory, as libmodsecurity v3 looks from its working directory', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'inc-'));
    fs.mkdirSync(path.join(root, 'data'));
    fs.writeFileSync(path.join(root, 'data', 'a.conf'), 'Include data/b.conf\n');
    fs.writeFileSync(path.join(root, 'data', 'b.conf'), 'SecAction "id:2,pass"\n');
    const r = parse('Include data/a.conf\n', { baseDir: root, followIncludes: true });
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.directives.map((d) => d.kind)).toEqual(['Include', 'Include', 'SecAction']);
  });
});

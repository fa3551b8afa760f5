import { randomBytes } from 'node:crypto';
import type { Diagnostic } from '../src';
import { parse, parseVariableList, print } from '../src';

/**
 * A hang guard, not a performance assertion: each case parses in well under a second on an idle machine, and a
 * quadratic blow-up on these inputs would take minutes. The bound is loose so a loaded CI machine never trips it.
 */
const HANG_GUARD_MS = 30_000;
jest.setTimeout(4 * HANG_GUARD_MS);

/** `code@line:col-endLine:endCol` for compact exact assertions. */
function where(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code}@${d.loc.line}:${d.loc.column}-${d.loc.endLine}:${d.loc.endColumn}`);
}

describe('malformed input: exact locations', () => {
  test('unterminated double quote: reported, and the next line still parses', () => {
    const r = parse('SecRule ARGS "@rx foo\nSecRule ARGS "@rx bar" "id:2"\n');
    expect(where(r.diagnostics)).toEqual(['unterminated-quote@1:14-1:21']);
    expect(r.ast.directives).toHaveLength(2);
    expect(r.ast.directives[1]).toMatchObject({ kind: 'SecRule', operator: { argument: 'bar' } });
  });

  test('unterminated single-quoted action value', () => {
    const r = parse("SecRule ARGS \"@rx a\" \"id:1,msg:'oops\"");
    expect(where(r.diagnostics)).toEqual(['unterminated-quote@1:32-1:36']);
  });

  test('unterminated quote across a continuation points at the opening quote', () => {
    const r = parse('SecAction \\\n  "id:1,\\\n  pass\nSecMarker X');
    expect(where(r.diagnostics)).toEqual(['unterminated-quote@2:3-3:6']);
    expect(r.ast.directives.map((d) => d.kind)).toEqual(['SecAction', 'SecMarker']);
  });

  test('broken continuation: blanks after the backslash', () => {
    const r = parse('SecRule ARGS "@rx a" "id:1" \\  \n  "id:2"\n');
    expect(where(r.diagnostics)).toEqual(['broken-continuation@1:29-1:29', 'unknown-directive@2:3-2:8']);
  });

  test('broken continuation: backslash at the end of the file', () => {
    const r = parse('SecMarker A \\');
    expect(where(r.diagnostics)).toEqual(['broken-continuation@1:13-1:13']);
    expect(r.ast.directives).toEqual([expect.objectContaining({ kind: 'SecMarker', label: 'A' })]);
  });

  test('bad selectors', () => {
    const r = parse('SecRule "ARGS|REQUEST_HEADERS:/abc|TX:" "@rx foo" "id:1"\nSecRule "ARGS:\'x" "@rx a" "id:2"\nSecRule XML: "@rx a"');
    expect(where(r.diagnostics)).toEqual([
      'bad-selector@1:31-1:38',
      'bad-selector@2:15-2:16',
      'bad-selector@3:12-3:12',
    ]);
    expect(r.diagnostics[0]?.message).toMatch(/unterminated regex selector on REQUEST_HEADERS/);
  });

  test('bad target-list syntax', () => {
    const r = parse('SecRule "ARGS||!|TX" "@rx a"\nSecRule "ARGS x" "@rx a"\nSecRule "ARGS|" "@rx a"');
    expect(where(r.diagnostics)).toEqual([
      'syntax@1:15-1:15',
      'syntax@1:17-1:17',
      'syntax@2:15-2:15',
      'syntax@3:14-3:14',
    ]);
  });

  test('unknown names, each at its own location', () => {
    const r = parse('SecRule ARGS|BOGUS "@bogus foo" "id:1,t:nope,whatever,ctl:nothing=1"\nSecFooBar 1 2\n');
    expect(where(r.diagnostics)).toEqual([
      'unknown-variable@1:14-1:18',
      'unknown-operator@1:21-1:26',
      'unknown-transformation@1:41-1:44',
      'unknown-action@1:46-1:53',
      'unknown-ctl-option@1:59-1:65',
      'unknown-directive@2:1-2:9',
    ]);
    expect(r.ast.directives[1]).toMatchObject({ kind: 'Unknown', name: 'SecFooBar', args: ['1', '2'] });
  });

  test('locations inside quoted values account for escapes and continuations', () => {
    const r = parse('SecRule ARGS "@rx \\"x\\"" "msg:\'a\\\'b\',\\\n   bogus"');
    expect(where(r.diagnostics)).toEqual(['unknown-action@2:4-2:8']);
    const r2 = parse('SecRule "ARGS|\\\nNOPE" "@rx a"');
    expect(where(r2.diagnostics)).toEqual(['unknown-variable@2:1-2:4']);
  });

  test('wrong argument counts and bad ids', () => {
    const r = parse('SecRule ARGS\nSecMarker\nSecRuleRemoveById 1 x 5-1\nSecRuleUpdateActionById abc "pass"\nSecRuleEngine On Off');
    expect(where(r.diagnostics)).toEqual([
      'arg-count@1:1-1:12',
      'arg-count@2:1-2:9',
      'bad-id@3:21-3:21',
      'bad-id@3:23-3:25',
      'bad-id@4:25-4:27',
      'arg-count@5:1-5:20',
    ]);
  });

  test('bad setvar and action-list syntax', () => {
    const r = parse('SecAction "setvar:nodot,setvar:tx.=1,,pass x"');
    expect(where(r.diagnostics)).toEqual(['bad-setvar@1:19-1:23', 'bad-setvar@1:34-1:34', 'syntax@1:38-1:38', 'syntax@1:44-1:44']);
  });

  test('parseVariableList reports relative to the given start', () => {
    const r = parseVariableList('ARGS|:x', { file: 'f.conf', line: 7, column: 20 });
    expect(r.variables.map((v) => v.name)).toEqual(['ARGS']);
    expect(where(r.diagnostics)).toEqual(['syntax@7:25-7:25']);
    expect(r.diagnostics[0]?.loc.file).toBe('f.conf');
  });
});

jest.setTimeout(120_000);

describe('hostile input never throws and never hangs', () => {
  const timed = (text: string) => {
    const t0 = Date.now();
    const r = parse(text);
    return { r, ms: Date.now() - t0 };
  };

  test('10 MB of random bytes', () => {
    const { r, ms } = timed(randomBytes(10 * 1024 * 1024).toString('latin1'));
    expect(ms).toBeLessThan(HANG_GUARD_MS);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    // Diagnostics are capped: the last one says how many more were dropped.
    expect(r.diagnostics.length).toBeLessThanOrEqual(1001);
    expect(r.diagnostics.at(-1)?.code).toBe('too-many-diagnostics');
  });

  test('100k unterminated quotes, on one line and on 100k lines', () => {
    const one = timed(`SecRule ${'"'.repeat(100_000)}`);
    expect(one.ms).toBeLessThan(HANG_GUARD_MS);
    expect(where(one.r.diagnostics)).toEqual(['arg-count@1:1-1:100008']);
    const many = timed('SecRule ARGS "x\n'.repeat(100_000));
    expect(many.ms).toBeLessThan(HANG_GUARD_MS);
    expect(many.r.diagnostics[0]?.code).toBe('unterminated-quote');
    expect(many.r.ast.directives).toHaveLength(100_000);
  });

  test('pathological mini-language input stays linear', () => {
    const cases = [
      `SecRule "${'ARGS:/a|'.repeat(100_000)}" "@rx x"`,
      `SecRule "${'|'.repeat(200_000)}" "@rx x"`,
      `SecRule ARGS "@rx x" "msg:'${'%{ '.repeat(100_000)}}'"`,
      `SecRule ARGS "@rx x" "${"msg:'".repeat(100_000)}"`,
      `SecRule ARGS "@rx x" "${'setvar:'.repeat(100_000)}"`,
      `SecRule ARGS "@rx x" "${'ctl:'.repeat(100_000)}"`,
      '\\'.repeat(500_000),
      'SecRule ARGS "@rx x" \\\n'.repeat(50_000),
    ];
    for (const text of cases) {
      const { r, ms } = timed(text);
      expect(ms).toBeLessThan(HANG_GUARD_MS);
      expect(Array.isArray(r.diagnostics)).toBe(true);
      for (const d of r.diagnostics) expect(d.message.length).toBeLessThan(300);
    }
  });

  test('empty and blank input', () => {
    expect(parse('')).toEqual({ ast: { directives: [], files: [] }, diagnostics: [] });
    expect(parse('\n\n   \n# only a comment\n').ast.directives).toEqual([]);
  });
});

test('a word that ends with a continuation is located without it', () => {
  const r = parse('SecFoo\\\n  bar\\\n\nSecMarker\\\r\n');
  expect(where(r.diagnostics)).toEqual(['unknown-directive@1:1-1:6', 'arg-count@4:1-4:9']);
  expect(r.ast.directives[0]?.loc).toMatchObject({ line: 1, column: 1, endLine: 2, endColumn: 5 });
});

test('chains are bounded, and huge argument lists do not overflow the stack', () => {
  const r = parse('SecRule ARGS "@rx a" "chain"\n'.repeat(1000) + 'SecAction "pass"\n');
  expect(r.diagnostics.map((d) => d.code)).toEqual(['chain-too-long', 'chain-too-long', 'chain-too-long']);
  expect(r.diagnostics[0]?.loc.line).toBe(257);
  expect(r.ast.directives).toHaveLength(4);
  expect(print(r.ast).split('\n')).toHaveLength(1002);
  const ids = parse(`SecRuleRemoveById "${'1 '.repeat(300_000)}"`);
  expect(ids.diagnostics).toEqual([]);
  expect(ids.ast.directives[0]).toMatchObject({ kind: 'RuleRemove' });
});

test('a comment ending in a backslash swallows the next line, with a warning unless that line is a comment', () => {
  const r = parse('# SecRule ARGS "@rx a" \\\n#    "id:1"\n# note \\\nSecMarker LOST\nSecMarker KEPT\n');
  expect(r.ast.directives.map((d) => (d.kind === 'SecMarker' ? d.label : d.kind))).toEqual(['KEPT']);
  expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc.line, d.loc.column])).toEqual([['warning', 'comment-continuation', 3, 8]]);
});

test('a comment continued over many lines stays linear', () => {
  const t0 = Date.now();
  const r = parse(`#${' x \\\n#'.repeat(200_000)}\nSecMarker A\n`);
  expect(Date.now() - t0).toBeLessThan(HANG_GUARD_MS);
  expect(r.diagnostics).toEqual([]);
  expect(r.ast.directives).toHaveLength(1);
});

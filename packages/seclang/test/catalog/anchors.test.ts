import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  actions,
  ctlOptions,
  directives,
  findAction,
  findCtlOption,
  findDirective,
  findOperator,
  findTransformation,
  findVariable,
  operators,
  transformations,
  variables,
} from '../../src/catalog';

const doc = fs.readFileSync(path.resolve(__dirname, '../../../../../shared/docs/anchors-features.md'), 'utf8');

/** The first-column cells of the table under a `### 1(x)` heading. */
function firstColumn(section: string): string[] {
  const start = doc.indexOf(`### ${section}`);
  if (start < 0) throw new Error(`section ${section} not found`);
  const end = doc.indexOf('\n### ', start + 1);
  const body = doc.slice(start, end < 0 ? undefined : end);
  return body
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('|---') && !/^\| (Directive|Operator|Transformation|Variable|Action)/.test(l))
    .map((l) => l.split(' | ')[0]!.slice(2));
}

/** `A_{B, C}` -> `A_B, A_C`; `X(_Y)` -> `X, X_Y`. */
function expand(text: string): string {
  return text
    .replace(/(\w*)\{([^}]*)\}(\w*)/g, (_m, pre: string, alts: string, post: string) =>
      alts.split(',').map((a) => pre + a.trim() + post).join(', '))
    .replace(/(\w+)\((_\w+)\)/g, '$1, $1$2');
}

/** Backticked names of a cell, split on commas, slashes and spaces. */
function names(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].flatMap((m) => expand(m[1]!).split(/[,/\s]+/)).filter(Boolean);
}

describe('catalog: every name of anchors-features.md is present', () => {
  it('1(a) directives, with abbreviated rows resolved against the previous full name', () => {
    let checked = 0;
    for (const cell of firstColumn('1(a)')) {
      let previous = '';
      for (const token of [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)) {
        for (const name of expand(token.split(' ')[0]!).split(/,\s*/)) {
          if (/^(Sec|Include)/.test(name)) {
            expect({ name, found: findDirective(name)?.name }).toEqual({ name, found: expect.any(String) });
            previous = name;
          } else {
            // `SecRuleRemoveById` / `ByTag`: some prefix of the previous name plus this suffix is a directive.
            const candidates = Array.from({ length: previous.length }, (_, i) => previous.slice(0, i) + name);
            expect({ name, found: candidates.some((c) => findDirective(c)) }).toEqual({ name, found: true });
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it('1(b) operators', () => {
    // Only the `@name` tokens: a cell may also mention a variable, e.g. "`@restpath` (fills `ARGS_PATH`)".
    const all = firstColumn('1(b)').flatMap(names).filter((n) => n.startsWith('@'));
    expect(all.length).toBeGreaterThan(40);
    for (const n of all) expect({ n, found: findOperator(n.replace(/^@/, ''))?.name }).toEqual({ n, found: expect.any(String) });
  });

  it('1(c) transformations, normalisePath and normalizePath being one', () => {
    const all = firstColumn('1(c)').flatMap(names);
    expect(all.length).toBeGreaterThan(35);
    for (const n of all) expect({ n, found: findTransformation(n)?.name }).toEqual({ n, found: expect.any(String) });
    expect(findTransformation('normalisePath')).toBe(findTransformation('normalizePath'));
    expect(findTransformation('normalisePathWin')?.name).toBe('normalizePathWin');
  });

  it('1(d) variables, with SCRIPT_* and PERF_* as families', () => {
    const all = firstColumn('1(d)').flatMap(names);
    expect(all.length).toBeGreaterThan(110);
    for (const n of all) {
      if (n.endsWith('*')) {
        const prefix = n.slice(0, -1);
        expect({ n, found: variables.filter((v) => v.name.startsWith(prefix)).length }).toEqual({ n, found: expect.any(Number) });
        expect(variables.filter((v) => v.name.startsWith(prefix)).length).toBeGreaterThan(1);
      } else {
        expect({ n, found: findVariable(n)?.name }).toEqual({ n, found: expect.any(String) });
      }
    }
  });

  it('1(e) actions and ctl options', () => {
    let ctl = 0;
    for (const cell of firstColumn('1(e)')) {
      const isCtl = cell.includes('ctl:');
      let previous = '';
      for (const raw of names(cell)) {
        const n = raw.replace(/:.*$/, '');
        if (n === '') continue;
        if (isCtl) {
          // `ruleRemoveTargetById` / `ByTag` abbreviates like the directive rows do.
          const candidates = [n, ...Array.from({ length: previous.length }, (_, i) => previous.slice(0, i) + n)];
          expect({ n, found: candidates.some((c) => findCtlOption(c)?.name === c) }).toEqual({ n, found: true });
          if (findCtlOption(n)) previous = n;
          ctl++;
        } else if (n.endsWith('*')) {
          expect(actions.filter((a) => a.aliases?.some((x) => x.startsWith(n.slice(0, -1)))).length).toBe(5);
        } else {
          expect({ n, found: findAction(n)?.name }).toEqual({ n, found: expect.any(String) });
        }
      }
    }
    expect(ctl).toBe(ctlOptions.length);
  });

  it('knows the aliases the engines accept', () => {
    expect(findOperator('pmf')?.name).toBe('pmFromFile');
    expect(findOperator('ipMatchF')?.name).toBe('ipMatchFromFile');
    expect(findVariable('MULTIPART_SEMICOLON_MISSING')?.name).toBe('MULTIPART_MISSING_SEMICOLON');
    expect(findVariable('REQUEST_XML')?.name).toBe('XML');
    expect(findVariable('multipart_crlf_line')?.name).toBe('MULTIPART_CRLF_LINE');
    expect(findAction('sanitizeMatchedBytes')?.name).toBe('sanitiseMatchedBytes');
    expect(findDirective('SecUnicodeMap')?.name).toBe('SecUnicodeMapFile');
  });
});

describe('catalog: shape', () => {
  const tables = { actions, ctlOptions, directives, operators, transformations, variables };

  it.each(Object.entries(tables))('%s is sorted by name and has no duplicate', (_what, table) => {
    const list = (table as ReadonlyArray<{ name: string; aliases?: string[] }>).map((e) => e.name.toLowerCase());
    expect(list).toEqual([...list].sort());
    const all = (table as ReadonlyArray<{ name: string; aliases?: string[] }>).flatMap((e) => [e.name, ...(e.aliases ?? [])]);
    expect(new Set(all.map((n) => n.toLowerCase())).size).toBe(all.length);
  });

  it('has the expected number of entries of each kind', () => {
    expect({
      actions: actions.length,
      ctlOptions: ctlOptions.length,
      directives: directives.length,
      operators: operators.length,
      transformations: transformations.length,
      variables: variables.length,
    }).toEqual({ actions: 47, ctlOptions: 20, directives: 86, operators: 42, transformations: 36, variables: 137 });
  });

  it('gives collections, and only collections, selectors', () => {
    for (const v of variables) expect(v.selectable).toBe(v.kind === 'collection');
    expect(findVariable('REQUEST_URI')?.selectable).toBe(false);
    expect(findVariable('ARGS')?.selectable).toBe(true);
    expect(findVariable('RESPONSE_BODY')?.phase).toBe(4);
  });

  it('classifies actions as the reference manual does', () => {
    const kinds = (k: string) => actions.filter((a) => a.kind === k).map((a) => a.name);
    expect(kinds('disruptive')).toEqual(['allow', 'block', 'deny', 'drop', 'pass', 'pause', 'proxy', 'redirect']);
    expect(kinds('flow')).toEqual(['chain', 'skip', 'skipAfter']);
    expect(kinds('data')).toEqual(['status', 'xmlns']);
    expect(kinds('metadata')).toEqual(['accuracy', 'id', 'maturity', 'msg', 'phase', 'rev', 'severity', 'tag', 'ver']);
  });

  it('marks what only the first rule of a chain may carry', () => {
    const starterOnly = actions.filter((a) => a.chainStarterOnly).map((a) => a.name);
    for (const a of actions) if (a.kind === 'disruptive' || a.kind === 'metadata') expect(starterOnly).toContain(a.name);
    expect(starterOnly).toEqual(expect.arrayContaining(['skip', 'skipAfter', 'logdata', 'status']));
    for (const n of ['chain', 'setvar', 't', 'capture', 'ctl', 'initcol']) expect(starterOnly).not.toContain(n);
  });

  it('gives every operator, transformation and action a SecLang example', () => {
    for (const e of [...operators, ...transformations, ...actions]) expect(e.summary).toMatch(/`SecRule [^`]+`/);
  });
});

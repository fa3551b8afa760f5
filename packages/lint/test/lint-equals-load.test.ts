import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from '@rampart/seclang';
import type { SourceLocation } from '@rampart/seclang';
import { lintText } from '../src';
import { loadWithEngine } from '../src/engine-load';

/**
 * Lint = load, over libmodsecurity's own regression cases (656 rule sets, many written to be refused): every
 * error the engine raises when it loads a case (the parser's errors and the compiler's, as createWaf collects
 * them) is a lint error with the same words, at the engine's location or inside the rule it names.
 */
const dir = path.resolve(__dirname, '../../../../shared/modsecurity-regression/test/test-cases/regression');

interface Case {
  title?: string;
  rules?: string[];
}

const cases: Array<{ name: string; text: string }> = [];
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Case | Case[];
  (Array.isArray(doc) ? doc : [doc]).forEach((c, i) => {
    if (Array.isArray(c.rules)) cases.push({ name: `${f}#${i} ${c.title ?? ''}`, text: c.rules.join('\n') });
  });
}

const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
const inside = (loc: SourceLocation, span: SourceLocation) =>
  loc.file === span.file && before(span.line, span.column, loc.line, loc.column) && before(loc.line, loc.column, span.endLine, span.endColumn);

jest.setTimeout(300_000);

it('reads the regression cases', () => {
  expect(cases.length).toBeGreaterThan(600);
});

it('every engine load error is a lint error with the same words, at the same place or inside the rule it names', () => {
  const misses: string[] = [];
  let engineErrors = 0;
  for (const c of cases) {
    // The data files of the cases sit next to the test-cases directory, as the regression runner finds them.
    const file = path.join(dir, '..', 'case.conf');
    const parsed = parse(c.text, { file });
    const load = loadWithEngine(parsed.ast);
    const expected = [
      ...parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ message: d.message, loc: d.loc as SourceLocation | undefined })),
      ...load.errors,
    ];
    if (expected.length === 0) continue;
    engineErrors += expected.length;
    const lint = lintText(c.text, { file }).diagnostics.filter((d) => d.severity === 'error');
    for (const e of expected) {
      const found = lint.some((d) => {
        if (d.message !== e.message) return false;
        if (e.loc === undefined) return true;
        return (d.loc.line === e.loc.line && d.loc.column === e.loc.column) || inside(d.loc, e.loc);
      });
      if (!found) misses.push(`${c.name}: ${e.loc ? `${e.loc.line}:${e.loc.column} ` : ''}${e.message}\n  lint: ${lint.map((d) => `${d.loc.line}:${d.loc.column} ${d.check}: ${d.message}`).join(' | ')}`);
    }
  }
  expect(misses).toEqual([]);
  expect(engineErrors).toBeGreaterThan(20);
});

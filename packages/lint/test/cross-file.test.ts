import * as path from 'node:path';
import { lint } from '../src';

it('names the other file when a duplicate id comes from another file', async () => {
  const a = path.resolve(__dirname, 'fixtures/ids-a.conf');
  const b = path.resolve(__dirname, 'fixtures/ids-b.conf');
  const { diagnostics } = lint([a, b]);
  // The engine refuses the second rule: its words, at the id (lint = load).
  expect(diagnostics.map((d) => [d.check, d.loc.file, d.loc.line, d.loc.column, d.message])).toEqual([
    ['duplicate-id', b, 2, 12, `duplicate rule id 42 (first defined at ${a}:1)`],
  ]);
  expect(diagnostics[0]!.related).toEqual([{ message: 'id 42 first used here', loc: expect.objectContaining({ file: a, line: 1, column: 12 }) }]);
});

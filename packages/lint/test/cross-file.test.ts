import * as path from 'node:path';
import { lint } from '../src';

it('names the other file when a duplicate id comes from another file', async () => {
  const a = path.resolve(__dirname, 'fixtures/ids-a.conf');
  const b = path.resolve(__dirname, 'fixtures/ids-b.conf');
  const { diagnostics } = lint([a, b]);
  expect(diagnostics.map((d) => [d.loc.file, d.loc.line, d.loc.column, d.message])).toEqual([
    [b, 2, 12, `duplicate id 42, first used at ${a}:1:12`],
  ]);
});

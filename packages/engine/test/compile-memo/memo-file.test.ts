import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { CompileMemo } from '../../src/compile-memo/compile-memo';
import { readCompileMemo, writeCompileMemo } from '../../src/compile-memo/memo-file';

describe('memo files', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memo-file-'));
    fs.chmodSync(dir, 0o700);
    file = path.join(dir, 'compile-memo.bin');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const sample = (): CompileMemo => {
    const memo = new CompileMemo();
    memo.remember('prefilter/1', 'patterns', () => ({
      arrays: { a: Int32Array.from([1, -2, 3]), b: Uint16Array.from([65535, 0]), c: Uint8Array.from([7]), empty: new Int32Array(0) },
      numbers: { words: 3 },
    }));
    memo.remember('phrases/1', 'other', () => ({ arrays: { x: Uint8Array.from([1, 2, 3, 4, 5]) }, numbers: {} }));
    return memo;
  };

  it('writes entries that a later read gives back, in SharedArrayBuffers, file mode 0600', () => {
    writeCompileMemo(file, sample());
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const { memo, problem } = readCompileMemo(file);
    expect(problem).toBeUndefined();
    expect(memo.size).toBe(2);
    const value = memo.remember('prefilter/1', 'patterns', () => {
      throw new Error('should come from the file');
    });
    expect(Array.from(value.arrays.a!)).toEqual([1, -2, 3]);
    expect(value.arrays.b).toBeInstanceOf(Uint16Array);
    expect(Array.from(value.arrays.b!)).toEqual([65535, 0]);
    expect(Array.from(value.arrays.c!)).toEqual([7]);
    expect(value.arrays.empty!.length).toBe(0);
    expect(value.arrays.a!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(value.numbers).toEqual({ words: 3 });
  });

  it('says a missing file is the first start, and gives an empty memo', () => {
    const r = readCompileMemo(file);
    expect(r.problem).toBe('no memo file yet');
    expect(r.memo.size).toBe(0);
  });

  it('ignores a damaged file entirely (one changed byte), saying why', () => {
    writeCompileMemo(file, sample());
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    const r = readCompileMemo(file);
    expect(r.problem).toMatch(/damaged \(checksum mismatch\)/);
    expect(r.memo.size).toBe(0);
    fs.writeFileSync(file, 'not a memo at all', { mode: 0o600 });
    expect(readCompileMemo(file).problem).toMatch(/not a memo file/);
  });

  it('ignores a file written by another build of the engine', () => {
    writeCompileMemo(file, sample());
    const text = fs.readFileSync(file).toString('latin1').replace(/"fingerprint":"[^"]*"/, (m) => `${m.slice(0, -2)}X"`);
    fs.writeFileSync(file, Buffer.from(text, 'latin1'), { mode: 0o600 });
    const r = readCompileMemo(file);
    expect(r.problem).toMatch(/another build of the engine/);
    expect(r.memo.size).toBe(0);
  });

  it('refuses a file or directory that others can write', () => {
    writeCompileMemo(file, sample());
    fs.chmodSync(file, 0o666);
    expect(readCompileMemo(file).problem).toMatch(/writable by group or others \(mode 666\)/);
    fs.chmodSync(file, 0o600);
    fs.chmodSync(dir, 0o777);
    expect(readCompileMemo(file).problem).toMatch(/writable by group or others \(mode 777\)/);
    fs.chmodSync(dir, 0o700);
    expect(readCompileMemo(file).problem).toBeUndefined();
  });

  it('does not follow a symbolic link', () => {
    writeCompileMemo(file, sample());
    const link = path.join(dir, 'link.bin');
    fs.symlinkSync(file, link);
    expect(readCompileMemo(link).problem).toMatch(/cannot open/);
  });

  it('writes arrays made in another realm (posted by a worker thread) with their own types', () => {
    const foreign = vm.runInNewContext('({ a: new Int32Array([70000, -1]), b: new Uint16Array([65535]), c: new Uint8Array([9]) })') as Record<string, Int32Array | Uint16Array | Uint8Array>;
    expect(foreign.a).not.toBeInstanceOf(Int32Array);
    const memo = new CompileMemo({ entries: [{ kind: 'k', key: 'x', value: { arrays: foreign, numbers: {} } }] });
    writeCompileMemo(file, memo);
    const value = readCompileMemo(file).memo.lookup('k', 'x')!;
    expect(Array.from(value.arrays.a!)).toEqual([70000, -1]);
    expect(Object.prototype.toString.call(value.arrays.b)).toBe('[object Uint16Array]');
    expect(Array.from(value.arrays.b!)).toEqual([65535]);
    expect(Array.from(value.arrays.c!)).toEqual([9]);
  });
});

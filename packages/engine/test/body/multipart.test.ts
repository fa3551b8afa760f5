import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultipartParser, parseMultipart, type MultipartFlags } from '../../src/body/multipart';

const CT = 'multipart/form-data; boundary=b';
const crlf = (...lines: string[]): string => lines.join('\r\n');
const field = (name: string, value: string): string =>
  crlf('--b', `Content-Disposition: form-data; name="${name}"`, '', value) + '\r\n';

const ZERO: MultipartFlags = {
  strictError: 0, boundaryQuoted: 0, boundaryWhitespace: 0, dataBefore: 0, dataAfter: 0, headerFolding: 0,
  lfLine: 0, crlfLfLines: 0, missingSemicolon: 0, invalidQuoting: 0, invalidPart: 0, invalidHeaderFolding: 0,
  fileLimitExceeded: 0, unmatchedBoundary: 0,
};

describe('parseMultipart: a well-formed body', () => {
  const body = field('a', 'hello') +
    crlf('--b', 'Content-Disposition: form-data; name="f"; filename="x.txt"', 'Content-Type: text/plain', '',
      'line1', 'line2', '--b--', '');
  const r = parseMultipart(CT, body);

  it('gives args, files, part headers and names', () => {
    expect(r.error).toBeUndefined();
    expect(r.args).toEqual([{ name: 'a', value: 'hello' }]);
    expect(r.files).toHaveLength(1);
    expect(r.files[0]).toMatchObject({ name: 'f', filename: 'x.txt', size: 12, content: 'line1\r\nline2' });
    expect(r.filesCombinedSize).toBe(12);
    expect(r.partHeaders).toEqual([
      { name: 'a', value: 'Content-Disposition: form-data; name="a"' },
      { name: 'f', value: 'Content-Disposition: form-data; name="f"; filename="x.txt"' },
      { name: 'f', value: 'Content-Type: text/plain' },
    ]);
    expect(r.names).toEqual(['a', 'f']);
    expect(r.filenames).toEqual(['x.txt']);
  });

  it('sets no strict flag; UNMATCHED_BOUNDARY is 2 once a second boundary matched (v3)', () => {
    expect(r.flags).toEqual({ ...ZERO, unmatchedBoundary: 2 });
  });

  it('gives the same result whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.slice(i, i + size));
      expect(parseMultipart(CT, chunks)).toEqual(r);
    }
  });

  it('drops the line breaks inside a form field, as ModSecurity v3 does', () => {
    const res = parseMultipart(CT, field('a', 'l1\r\nl2\r\nl3') + '--b--\r\n');
    expect(res.args).toEqual([{ name: 'a', value: 'l1l2l3' }]);
  });

  it('keeps an empty field (blank line, then the delimiter CRLF)', () => {
    const res = parseMultipart(CT, field('a', '') + '--b--\r\n');
    expect(res.args).toEqual([{ name: 'a', value: '' }]);
    expect(res.flags.strictError).toBe(0);
  });

  it('treats filename="" as a form field', () => {
    const res = parseMultipart(CT,
      crlf('--b', 'Content-Disposition: form-data; name="f"; filename=""', '', 'x', '--b--', ''));
    expect(res.args).toEqual([{ name: 'f', value: 'x' }]);
    expect(res.files).toEqual([]);
  });

  it('accepts a final boundary without a trailing line break', () => {
    const res = parseMultipart(CT, field('a', 'v') + '--b--');
    expect(res.error).toBeUndefined();
    expect(res.args).toEqual([{ name: 'a', value: 'v' }]);
  });

  it('folds headers into MULTIPART_PART_HEADERS', () => {
    const res = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data;', ' name="a"', '', 'v', '--b--', ''));
    expect(res.args).toEqual([{ name: 'a', value: 'v' }]);
    expect(res.partHeaders).toEqual([{ name: 'a', value: 'Content-Disposition: form-data; name="a"' }]);
    expect(res.flags.headerFolding).toBe(1);
    expect(res.flags.invalidHeaderFolding).toBe(0);
    expect(res.flags.strictError).toBe(1);
  });
});

describe('parseMultipart: each strictness flag', () => {
  const ok = field('a', 'v') + '--b--\r\n';

  it('BOUNDARY_QUOTED', () => {
    const r = parseMultipart('multipart/form-data; boundary="b"', ok);
    expect(r.flags).toMatchObject({ boundaryQuoted: 1, strictError: 1 });
    expect(r.args).toEqual([{ name: 'a', value: 'v' }]);
  });

  it('BOUNDARY_WHITESPACE', () => {
    expect(parseMultipart('multipart/form-data; boundary =b', ok).flags)
      .toMatchObject({ boundaryWhitespace: 1, strictError: 1 });
  });

  it('MISSING_SEMICOLON', () => {
    expect(parseMultipart('multipart/form-data boundary=b', ok).flags)
      .toMatchObject({ missingSemicolon: 1, strictError: 1 });
  });

  it('DATA_BEFORE', () => {
    expect(parseMultipart(CT, 'junk\r\n' + ok).flags).toMatchObject({ dataBefore: 1, strictError: 1 });
  });

  it('DATA_AFTER, also when the extra data comes in a later chunk', () => {
    expect(parseMultipart(CT, ok + 'junk').flags).toMatchObject({ dataAfter: 1, strictError: 1 });
    expect(parseMultipart(CT, [ok, 'junk']).flags).toMatchObject({ dataAfter: 1, strictError: 1 });
  });

  it('LF_LINE for a body with bare LFs', () => {
    const r = parseMultipart(CT, '--b\nContent-Disposition: form-data; name="a"\n\nv\n--b--\n');
    expect(r.args).toEqual([{ name: 'a', value: 'v' }]);
    expect(r.flags).toMatchObject({ lfLine: 1, crlfLfLines: 0, strictError: 1 });
  });

  it('LF_LINE when only a data line before a boundary ends in LF', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"', '', '') + 'v\n--b--\r\n');
    expect(r.flags).toMatchObject({ lfLine: 1, crlfLfLines: 1, strictError: 1 });
  });

  it('CRLF_LF_LINES for mixed line endings (not part of STRICT_ERROR by itself, LF_LINE is)', () => {
    const r = parseMultipart(CT, '--b\r\nContent-Disposition: form-data; name="a"\n\r\nv\r\n--b--\r\n');
    expect(r.flags).toMatchObject({ lfLine: 1, crlfLfLines: 1, strictError: 1 });
  });

  it('HEADER_FOLDING and INVALID_HEADER_FOLDING (folding with a vertical tab)', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data;', '\x0bname="a"', '', 'v', '--b--', ''));
    expect(r.flags).toMatchObject({ headerFolding: 1, invalidHeaderFolding: 1, strictError: 1 });
  });

  it('INVALID_QUOTING for single quotes', () => {
    const r = parseMultipart(CT, crlf('--b', "Content-Disposition: form-data; name='a'", '', 'v', '--b--', ''));
    expect(r.args).toEqual([{ name: 'a', value: 'v' }]);
    expect(r.flags).toMatchObject({ invalidQuoting: 1, strictError: 1 });
  });

  it('INVALID_QUOTING for a quote glued to the next parameter (error -12)', () => {
    // The header error leaves the parser in the header state: the final boundary is only recognised at the very
    // end of the body (v3's multipart_complete), where it flags INVALID_PART.
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"x', '', 'v', '--b--'));
    expect(r.flags).toMatchObject({ invalidQuoting: 1, invalidPart: 1 });
    expect(r.error).toBe('Multipart parsing error: Multipart: Invalid part header (colon missing): v\r\n');
    const withCrlf = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"x', '', 'v', '--b--', ''));
    expect(withCrlf.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
  });

  it('INVALID_PART for a part without a name, with the header error as REQBODY_ERROR_MSG', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data', '', 'x', '--b--'));
    expect(r.flags).toMatchObject({ invalidPart: 1, strictError: 1 });
    expect(r.error).toBe('Multipart parsing error: Multipart: Invalid part header (colon missing): x\r\n');
    expect(r.args).toEqual([]);
  });

  it('INVALID_PART when a boundary stands where part data should begin', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"', '', '--b--', ''));
    expect(r.flags).toMatchObject({ invalidPart: 1, strictError: 1 });
    expect(r.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
  });

  it('UNMATCHED_BOUNDARY = 1 for a line that looks like another boundary, 2 once a later boundary matched', () => {
    const r = parseMultipart(CT, field('a', '--c'));
    expect(r.flags.unmatchedBoundary).toBe(1);
    const later = parseMultipart(CT, field('a', '--c') + '--b--\r\n');
    expect(later.flags.unmatchedBoundary).toBe(2);
    expect(later.flags.strictError).toBe(0);
    expect(later.args).toEqual([{ name: 'a', value: '--c' }]);
  });

  it('UNMATCHED_BOUNDARY = 1 for our boundary inside a data line', () => {
    const r = parseMultipart('multipart/form-data; boundary=xyz',
      crlf('--xyz', 'Content-Disposition: form-data; name="a"', '', 'a--xyz', '--xyz--', ''));
    expect(r.flags.unmatchedBoundary).toBe(2);
    const first = parseMultipart('multipart/form-data; boundary=xyz',
      crlf('--xyz', 'Content-Disposition: form-data; name="a"', '', 'a--xyz', '--xyz--', '')).flags;
    expect(first.unmatchedBoundary).toBe(2);
    const only = parseMultipart('multipart/form-data; boundary=xyz', 'pre--xyz\r\n');
    expect(only.flags.unmatchedBoundary).toBe(1);
  });

  it('FILE_LIMIT_EXCEEDED when writing files over SecUploadFileLimit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-mp-'));
    try {
      const file = (n: string): string =>
        crlf('--b', `Content-Disposition: form-data; name="${n}"; filename="${n}.bin"`, '', 'data-' + n) + '\r\n';
      const r = parseMultipart(CT, file('f1') + file('f2') + '--b--\r\n',
        { upload: { dir, transactionId: 'tx1' }, uploadFileLimit: 1 });
      expect(r.flags).toMatchObject({ fileLimitExceeded: 1, strictError: 1 });
      expect(r.error).toBe('Multipart parsing error: Multipart: Upload file limit exceeded 1. ' +
        'Use SecUploadFileLimit to change the limit.');
      expect(r.files.map((f) => f.name)).toEqual(['f1', 'f2']);
      const tmp = r.files[0]?.tmpPath ?? '';
      expect(tmp).toMatch(/\/\d{8}-\d{6}-tx1-file-[A-Za-z0-9]{6}$/);
      expect(readFileSync(tmp, 'latin1')).toBe('data-f1');
      expect(r.files[1]?.tmpPath).toBeUndefined();
      expect(readdirSync(dir)).toHaveLength(1);
      expect(r.tmpFiles).toEqual([tmp]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports temporary files even when the body is then rejected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-mp-'));
    try {
      const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="f"; filename="a"', '', 'x', ''),
        { upload: { dir } });
      expect(r.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
      expect(r.files).toEqual([]);
      expect(r.tmpFiles).toHaveLength(1);
      expect(readdirSync(dir)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the whole file, line breaks included, to the temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-mp-'));
    try {
      const r = parseMultipart(CT,
        crlf('--b', 'Content-Disposition: form-data; name="f"; filename="a"', '', 'l1', 'l2', '--b--', ''),
        { upload: { dir } });
      expect(readFileSync(r.files[0]?.tmpPath ?? '', 'latin1')).toBe('l1\r\nl2');
      expect(r.flags.strictError).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseMultipart: rejected bodies (REQBODY_ERROR)', () => {
  const cases: Array<[string, string, string]> = [
    ['', 'x', 'Multipart: Content-Type header not available.'],
    ['multipart/form-data', 'x', 'Multipart: Boundary not found in C-T.'],
    ['multipart/form-data; BOUNDARY=b', 'x', 'Multipart: Invalid boundary in C-T (case sensitivity).'],
    ['multipart/form-data; boundary=a; boundary=b', 'x', 'Multipart: Multiple boundary parameters in C-T.'],
    ['multipart/mixed; boundary=b', 'x', 'Multipart: Invalid MIME type.'],
    ['multipart/form-data; x; boundary=b', 'x', 'Multipart: Invalid boundary in C-T (malformed).'],
    ['multipart/form-data; boundary', 'x', 'Multipart: Invalid boundary in C-T (malformed).'],
    ['multipart/form-data; boundaryx=b', 'x', 'Multipart: Invalid boundary in C-T (parameter name).'],
    ['multipart/form-data; boundary="b', 'x', 'Multipart: Invalid boundary in C-T (quote).'],
    ['multipart/form-data; boundary=a{b', 'x', 'Multipart: Invalid boundary in C-T (characters).'],
    ['multipart/form-data; boundary=;x', 'x', 'Multipart: Invalid boundary in C-T (empty).'],
    ['multipart/form-data; boundary=' + 'a'.repeat(1100), 'x', 'Multipart: Invalid boundary in C-T (length).'],
  ];
  it.each(cases)('Content-Type %j -> %s', (ct, body, message) => {
    const r = parseMultipart(ct, body);
    expect(r.error).toBe('Multipart parsing error: ' + message);
    expect(r.flags.strictError).toBe(1);
  });

  it('tolerates a charset parameter after an unquoted boundary', () => {
    const r = parseMultipart('multipart/form-data; boundary=b;charset=UTF-8', field('a', 'v') + '--b--\r\n');
    expect(r.error).toBeUndefined();
    expect(r.args).toEqual([{ name: 'a', value: 'v' }]);
  });

  it('no boundary in the body', () => {
    const r = parseMultipart(CT, 'just text\r\n');
    expect(r.error).toBe('Multipart parsing error: Multipart: No boundaries found in payload.');
    expect(r.flags.dataBefore).toBe(1);
  });

  it('a part with no end boundary: no ARGS, but MULTIPART_NAME is filled', () => {
    const r = parseMultipart(CT, field('a', 'v'));
    expect(r.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
    expect(r.args).toEqual([]);
    expect(r.names).toEqual(['a']);
  });

  it('an empty body is no error', () => {
    const r = parseMultipart(CT, '');
    expect(r.error).toBeUndefined();
    expect(r.flags.strictError).toBe(0);
  });

  it('a malformed boundary line stops the parser, and the missing final boundary is what is reported', () => {
    const r = parseMultipart(CT, field('a', 'v') + '--bx\r\n');
    expect(r.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
    expect(r.flags.strictError).toBe(1);
  });

  it('whitespace before a boundary', () => {
    const r = parseMultipart(CT, '-- b\r\n');
    expect(r.error).toBe('Multipart parsing error: Multipart: No boundaries found in payload.');
    expect(r.flags.strictError).toBe(1);
  });

  it('a second final boundary', () => {
    const body = field('a', 'v') + '--b--\r\n';
    const parser = new MultipartParser(CT);
    parser.write(body);
    expect(parser.finish().error).toBeUndefined();
  });

  it('missing Content-Disposition', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Type: text/plain', '', 'v', '--b--'));
    expect(r.error).toBe('Multipart parsing error: Multipart: Invalid part header (colon missing): v\r\n');
    const early = parseMultipart(CT, crlf('--b', 'Content-Type: text/plain', '', '--b--'));
    expect(early.error).toBe('Multipart parsing error: Multipart: Part missing Content-Disposition header.');
    expect(early.flags.invalidPart).toBe(1);
  });

  it('an unknown Content-Disposition parameter (-11)', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"; foo=bar', '', '--b--'));
    expect(r.error).toBe('Multipart parsing error: Multipart: Invalid Content-Disposition header (-11): ' +
      'form-data; name="a"; foo=bar');
    expect(r.names).toEqual(['a']);
  });

  it('an invalid character in a part header name (CRS 922130)', () => {
    const r = parseMultipart('multipart/form-data; boundary=boundary', '--boundary\r\n' +
      '\x0eContent-Disposition: form-data; name="file"; filename="1.php"\r\n' +
      'Content-Disposition: form-data; name="post"\r\n\r\n<?php var_dump(1);\r\n--boundary--');
    expect(r.error).toBe('Multipart parsing error: Multipart: Invalid part header (contains invalid character).');
    expect(r.args).toEqual([{ name: 'post', value: '<?php var_dump(1);' }]);
  });

  it('a NUL byte in part headers', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"\0', '', '--b--'));
    expect(r.error).toBe('Multipart parsing error: Multipart: Part missing Content-Disposition header.');
  });

  it('a header line over 4096 bytes', () => {
    const r = parseMultipart(CT, '--b\r\nX-Long: ' + 'a'.repeat(5000) + '\r\n\r\nv\r\n--b--\r\n');
    expect(r.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
    expect(r.flags.strictError).toBe(1);
  });
});

describe('parseMultipart: hostile bodies', () => {
  it('10k parts: all parsed, args capped by argumentsLimit, in well under a few seconds', () => {
    const parts: string[] = [];
    for (let i = 0; i < 10_000; i++) parts.push(field('p' + i, 'v' + i));
    const body = parts.join('') + '--b--\r\n';
    const started = Date.now();
    const r = parseMultipart(CT, body, { argumentsLimit: 1000 });
    expect(Date.now() - started).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
    expect(r.args).toHaveLength(1000);
    expect(r.argumentsLimitExceeded).toBe(true);
    expect(r.names).toHaveLength(10_000);
    expect(r.error).toBeUndefined();
  });

  it('a part with no end boundary and 5 MB of data', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="f"; filename="a"', '', '')
      + 'x'.repeat(5_000_000), { fileContentLimit: 1000 });
    expect(r.error).toBe('Multipart parsing error: Multipart: Final boundary missing.');
    expect(r.files).toEqual([]);
  });

  it('a 1 MB file keeps only fileContentLimit bytes in memory', () => {
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="f"; filename="a"', '',
      'y'.repeat(1_000_000), '--b--', ''), { fileContentLimit: 100 });
    expect(r.files[0]?.size).toBe(1_000_000);
    expect(r.files[0]?.content).toHaveLength(100);
    expect(r.files[0]?.contentTruncated).toBe(true);
  });
});

describe('parseMultipart: seeded fuzz', () => {
  // xorshift32: deterministic, so a failure names its seed.
  const rng = (seed: number) => (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const pieces = ['--b', '--b--', '\r\n', '\n', '\r', 'Content-Disposition: form-data; name="a"', '; filename="f"',
    ' ', '\t', 'x', '"', "'", ':', '\0', '\xff', '-', 'name=', 'form-data'];

  it('never throws, and chunking never changes the result (including lines over 4096 bytes)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = rng(seed);
      let body = '';
      const count = 5 + Math.floor(next() * 60);
      for (let i = 0; i < count; i++) {
        body += next() < 0.05 ? 'z'.repeat(4090 + Math.floor(next() * 12)) + (next() < 0.5 ? '\r' : '') :
          (pieces[Math.floor(next() * pieces.length)] ?? '');
      }
      const whole = parseMultipart(CT, body);
      const size = 1 + Math.floor(next() * 50);
      const chunks: string[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.slice(i, i + size));
      expect([seed, parseMultipart(CT, chunks)]).toEqual([seed, whole]);
    }
  });

  it('splits a line at 4096 bytes without ending a buffer on CR', () => {
    const line = 'q'.repeat(4095) + '\r\nend';
    const r = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"', '', line, '--b--', ''));
    expect(r.args).toEqual([{ name: 'a', value: 'q'.repeat(4095) + 'end' }]);
    const long = 'w'.repeat(10_000);
    const r2 = parseMultipart(CT, crlf('--b', 'Content-Disposition: form-data; name="a"', '', long, '--b--', ''));
    expect(r2.args).toEqual([{ name: 'a', value: long }]);
  });
});

import { createWaf, type Transaction } from '../../src';

// ModSecurity v3's match reference, `[ref "..."]` in the error log: for each matching value, `o` offset,length of
// where the operator matched (after transformations), `v` offset,length of where the value sits in the request as
// v3 counts it, then the transformations. The expected strings are v3's own, from its regression suite
// (test/test-cases/regression/offset-variable.json), for the same requests.

interface Req {
  method?: string;
  uri?: string;
  /** The text after `HTTP/` (v3's runner sends `HTTP/` alone when a case names no version). */
  version?: string;
  headers?: Array<[string, string]>;
  body?: string;
}

const FORM_HEADERS: Array<[string, string]> = [
  ['Host', 'localhost'],
  ['Content-Length', '27'],
  ['Content-Type', 'application/x-www-form-urlencoded'],
];

function run(rules: string, req: Req): { tx: Transaction; refs: string[]; lines: string[] } {
  const waf = createWaf({ directives: `SecRequestBodyAccess On\n${rules}`, onWarning: () => undefined });
  const tx = waf.newTransaction({ id: 'ref-test' });
  tx.processConnection('127.0.0.1', 40000, '127.0.0.1', 80);
  tx.processUri(req.uri ?? '/', req.method ?? 'GET', `HTTP/${req.version ?? ''}`);
  for (const [k, v] of req.headers ?? FORM_HEADERS) tx.addRequestHeader(k, v);
  tx.processRequestHeaders();
  if (req.body !== undefined) tx.appendRequestBody(req.body);
  tx.processRequestBody();
  tx.processResponseHeaders(200, 'HTTP/1.1');
  tx.processResponseBody();
  tx.processLogging();
  const lines = tx.logLines;
  const refs = lines.map((l) => /\[ref "([^"]*)"\]$/.exec(l)?.[1] ?? '<none>');
  return { tx, refs, lines };
}

const QS = '/index.html?param1=value1&param2=value1&param3=value1';

describe('match reference ([ref "..."])', () => {
  it.each([
    ['ARGS', `SecRule ARGS "@rx val" "id:1,phase:2,pass,t:trim,msg:'ops'"`, { uri: '/index.html?param1=value1&param2=value1' }, 'o0,3v23,6t:trimo0,3v37,6t:trim'],
    ['ARGS_GET', `SecRule ARGS_GET "@rx ue2" "id:1,phase:2,pass,t:trim"`, { uri: '/index.html?param1=value1&param2=value2' }, 'o3,3v37,6t:trim'],
    ['ARGS_POST', `SecRule ARGS_POST "@rx ue2" "id:1,phase:2,pass,t:trim"`, { method: 'POST', uri: '/index.html?param1=value1&param2=value1', body: 'param1=value1&param2=value2&param3=value3\n' }, 'o3,3v156,6t:trim'],
    ['ARGS_GET_NAMES', `SecRule ARGS_GET_NAMES "@rx param2" "id:1,phase:2,pass,t:trim"`, { method: 'POST', uri: '/index.html?param1=value1&param2=value1' }, 'o0,6v31,6t:trim'],
    ['ARGS_POST_NAMES', `SecRule ARGS_POST_NAMES "@rx param1" "id:1,phase:2,pass,t:trim"`, { method: 'POST', uri: QS, body: 'param1=value1&param2=value2&param3=value3\n' }, 'o0,6v149,6t:trim'],
    ['ARGS_NAMES (@contains)', `SecRule ARGS_NAMES "@contains my_id" "id:1,phase:2,pass"`, { uri: '/index.html?param01=5555&bbbbbbbmy_id=6' }, 'o7,5v29,12'],
    ['ARGS_COMBINED_SIZE', `SecRule ARGS_COMBINED_SIZE "@gt 1" "id:1,phase:2,pass,t:trim"`, { uri: QS }, 'v16,6v23,6v30,6v37,6v44,6v51,6t:trim'],
    ['REQUEST_LINE', `SecRule REQUEST_LINE "value1" "id:1,phase:2,pass,t:trim"`, { uri: QS }, 'o23,6v0,63t:trim'],
    ['REQUEST_METHOD', `SecRule REQUEST_METHOD "GET" "id:1,phase:2,pass,t:trim"`, { uri: QS, version: '1.1' }, 'o0,3v0,3t:trim'],
    ['REQUEST_PROTOCOL', `SecRule REQUEST_PROTOCOL "1.1" "id:1,phase:2,pass,t:trim"`, { uri: QS, version: '1.1' }, 'o5,3v58,8t:trim'],
    ['PATH_INFO', `SecRule PATH_INFO "index" "id:1,phase:2,pass,t:trim"`, { uri: QS, version: '1.1' }, 'o1,5v4,11t:trim'],
    ['QUERY_STRING', `SecRule QUERY_STRING "value1" "id:1,phase:2,pass,t:trim"`, { uri: QS, version: '1.1' }, 'o7,6v16,41t:trim'],
    ['REQUEST_BASENAME', `SecRule REQUEST_BASENAME "html" "id:1,phase:2,pass,t:trim"`, { uri: QS, version: '1.1' }, 'o6,4v5,10t:trim'],
    ['REQUEST_URI', `SecRule REQUEST_URI "html" "id:1,phase:2,pass,t:trim"`, { uri: '/index.html%20%20?param1=value1&param2=value1&param3=value1', version: '1.1' }, 'o7,4v4,59t:trim'],
    ['REQUEST_URI_RAW', `SecRule REQUEST_URI_RAW "html" "id:1,phase:2,pass,t:trim"`, { uri: '/index.html%20%20?param1=value1&param2=value1&param3=value1', version: '1.1' }, 'o7,4v4,59t:trim'],
    // The raw path's length, not the decoded value's.
    ['REQUEST_FILENAME', `SecRule REQUEST_FILENAME "/f i l e" "id:1,phase:2,pass,t:trim"`, { uri: '/wheee/f%20i%20l%20e%20?something else', method: 'POST' }, 'o6,8v5,23t:trim'],
    [
      'REQUEST_HEADERS',
      `SecRule REQUEST_HEADERS "www" "id:1,phase:2,pass,t:trim"`,
      { uri: QS, headers: [['Content-Length', '27'], ['Host', 'localhost'], ['AuThOrIzAtIoN', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='], ['Content-Type', 'application/x-www-form-urlencoded']] },
      'o14,3v163,33t:trim',
    ],
    [
      'AUTH_TYPE',
      `SecRule AUTH_TYPE "Basic" "id:1,phase:2,pass,t:trim"`,
      { uri: QS, headers: [['AuThOrIzAtIoN', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='], ['Host', 'localhost'], ['Content-Length', '27'], ['Content-Type', 'application/x-www-form-urlencoded']] },
      'o0,5v79,5t:trim',
    ],
    [
      'REQUEST_HEADERS_NAMES',
      `SecRule REQUEST_HEADERS_NAMES "auth" "id:1,phase:2,pass,t:lowercase"`,
      { uri: QS, headers: [['AuThOrIzAtIoN', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='], ['Host', 'localhost'], ['Content-Length', '27'], ['Content-Type', 'application/x-www-form-urlencoded']] },
      'o0,4v64,13t:lowercase',
    ],
    [
      'REQUEST_COOKIES',
      `SecRule REQUEST_COOKIES "b" "id:1,phase:2,pass,t:lowercase,t:trim"`,
      { uri: QS, headers: [['AuThOrIzAtIoN', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='], ['Host', 'localhost'], ['Content-Length', '27'], ['Content-Type', 'application/x-www-form-urlencoded'], ['Cookie', 'USER_TOKEN=Yes; a=z; t=b']] },
      'o0,1v228,1t:lowercase,t:trim',
    ],
    [
      'REQUEST_COOKIES_NAMES',
      `SecRule REQUEST_COOKIES_NAMES "t" "id:1,phase:2,pass"`,
      { uri: QS, headers: [['AuThOrIzAtIoN', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='], ['Host', 'localhost'], ['Content-Length', '27'], ['Content-Type', 'application/x-www-form-urlencoded'], ['Cookie', 'USER_TOKEN=Yes; a=z; t=b']] },
      'o0,1v226,1',
    ],
  ])('%s', (_name, rules, req, ref) => {
    expect(run(rules, req as Req).refs).toEqual([ref]);
  });

  describe('multipart bodies (offsets of v3\'s multipart parser)', () => {
    const boundary = '--------------------------756b6d74fa1a8ee2';
    const req: Req = {
      method: 'POST',
      uri: '/wheee/f%20i%20l%20e%20',
      headers: [
        ['Host', 'localhost'],
        ['User-Agent', 'curl/7.38.0'],
        ['Accept', '*/*'],
        ['Content-Length', '330'],
        ['Content-Type', `multipart/form-data; boundary=${boundary}`],
        ['Expect', '100-continue'],
      ],
      body: [
        `--${boundary}`,
        'Content-Disposition: form-data; name="name"',
        '',
        'test',
        `--${boundary}`,
        'Content-Disposition: form-data; name="name2"',
        '',
        'test2',
        `--${boundary}`,
        'Content-Disposition: form-data; name="filedata"; filename="small_text_file1.txt"',
        'Content-Type: text/plain',
        '',
        'This is a very small test file..',
        `--${boundary}`,
        'Content-Disposition: form-data; filename="small_text_file2.txt"; name="fiasdfasdfledata" ',
        'Content-Type: text/plain',
        '',
        'This is another very small test file..',
        `--${boundary}--`,
        '',
      ].join('\n'),
    };
    it.each([
      ['ARGS', `SecRule ARGS "test2" "id:1,phase:3,pass,t:trim"`, 'o0,5v402,5t:trim'],
      ['FILES', `SecRule FILES "small_text_file2" "id:1,phase:3,pass,t:trim"`, 'o0,16v680,20t:trim'],
      // A quoted name is placed one byte after it (past its closing quote, minus its length).
      ['FILES_NAMES', `SecRule FILES_NAMES "(fiasdfasdfledata|filedata)" "id:1,phase:3,pass,t:trim"`, 'o0,8o0,8v491,8t:trimo0,16o0,16v709,16t:trim'],
      // A file's content is placed past the line end v3 holds back.
      ['FILES_SIZES', `SecRule FILES_SIZES:filedata "@gt 0" "id:1,phase:3,pass,t:trim"`, 'v560,32t:trim'],
      ['FILES_COMBINED_SIZE', `SecRule FILES_COMBINED_SIZE "@gt 0" "id:1,phase:3,pass,t:trim"`, 'v560,32v754,38t:trim'],
      ['FILES_TMP_CONTENT', `SecRule FILES_TMP_CONTENT:filedata "small" "id:1,phase:3,pass,t:trim"`, 'o15,5v560,32t:trim'],
      ['MULTIPART_FILENAME', `SecRule MULTIPART_FILENAME "small_text_file2.txt" "id:1,phase:3,pass,t:trim"`, 'o0,20v680,20t:trim'],
      ['MULTIPART_NAME', `SecRule MULTIPART_NAME "fiasdfasdfledata" "id:1,phase:3,pass,t:trim"`, 'o0,16v709,16t:trim'],
    ])('%s', (_name, rules, ref) => {
      expect(run(rules, req).refs).toEqual([ref]);
    });
  });

  it('places JSON arguments after their names, as v3 adds them with offset 0', () => {
    const rules = `SecRule REQUEST_HEADERS:Content-Type "json" "id:1,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"\nSecRule ARGS "@rx b" "id:2,phase:2,pass"\nSecRule ARGS_NAMES "@rx k" "id:3,phase:2,pass"`;
    const { refs } = run(rules, { method: 'POST', headers: [['Host', 'h'], ['Content-Type', 'application/json']], body: '{"k":"ab"}' });
    expect(refs).toEqual(['o1,1v7,2', 'o5,1v0,6']);
  });

  it('names every transformation of the chain, and with multiMatch the one that made the step', () => {
    expect(run(`SecRule ARGS:a "@rx x" "id:1,phase:2,pass,t:lowercase,t:trim"`, { uri: '/?a=X' }).refs).toEqual(['o0,1v8,1t:lowercase,t:trim']);
    // The value as received matches (no transformation named), then its lower-cased form: with multiMatch each
    // match is its own message with its own reference (v3 resets the message after logging each one).
    expect(run(`SecRule ARGS:a "@rx b" "id:1,phase:2,pass,multiMatch,t:lowercase,t:trim"`, { uri: '/?a=bB' }).refs).toEqual(['o0,1v8,2', 'o0,1v8,2t:lowercase']);
  });

  it('accumulates over the chain, as v3 shares one message between the rules of a chain', () => {
    const rules = `SecRule ARGS:a "@rx 1" "id:1,phase:2,pass,chain"\nSecRule ARGS:b "@rx 2" "t:trim"`;
    expect(run(rules, { uri: '/?a=1&b=2' }).refs).toEqual(['o0,1v8,1o0,1v12,1t:trim']);
  });

  it('places no operator span for a negated operator (it matched because the operator did not)', () => {
    expect(run(`SecRule ARGS:a "!@rx z" "id:1,phase:2,pass"`, { uri: '/?a=y' }).refs).toEqual(['v8,1']);
  });

  it('places nothing for values v3 does not place (TX, counts)', () => {
    const rules = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.x=5"\nSecRule TX:x "@eq 5" "id:2,phase:1,pass"\nSecRule &ARGS "@eq 1" "id:3,phase:2,pass"`;
    expect(run(rules, { uri: '/?a=1' }).refs).toEqual(['', '']);
  });

  it('is cut at 200 characters the way v3 cuts it', () => {
    const uri = `/?${Array.from({ length: 40 }, (_, i) => `a${i}=x`).join('&')}`;
    const ref = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass"`, { uri }).refs[0]!;
    const cut = / \((\d+) characters omitted\)$/.exec(ref);
    expect(cut).not.toBeNull();
    expect(ref.length - cut![0].length).toBe(200);
    expect(ref.startsWith('o0,1v9,1o0,1v14,1')).toBe(true);
  });

  it('is on the matched rule record, with the values and spans', () => {
    const { tx } = run(`SecRule ARGS "@rx \\d+" "id:1,phase:2,pass"`, { uri: '/?a=x12y' });
    expect(tx.matchedRules[0]).toMatchObject({ reference: 'o1,2v8,4', matches: [{ variable: 'ARGS:a', value: 'x12y', spans: [1, 2] }] });
  });

  it('is not computed for matches that are neither logged, disruptive, sanitised nor traced', () => {
    const { tx } = run(`SecRule ARGS "@rx x" "id:1,phase:2,pass,nolog"`, { uri: '/?a=x' });
    expect(tx.matchedRules[0]).toMatchObject({ reference: '', matches: [] });
  });
});

describe('the match text of the error-log line (v3 RuleMessage m_match)', () => {
  it('shows the value as received, the operator named as v3 names it', () => {
    const { lines } = run(`SecRule ARGS:a "@streq abc" "id:1,phase:2,pass,t:lowercase"`, { uri: '/?a=ABC' });
    expect(lines[0]).toContain("Matched \"Operator `StrEq' with parameter `abc' against variable `ARGS:a' (Value: `ABC' )");
  });

  it('shows the last rule of a chain that matched, and the parameter expanded where v3 expands it', () => {
    const rules = `SecAction "id:1,phase:1,pass,nolog,setvar:tx.allowed=/name1/"\nSecRule ARGS:a "@rx ." "id:2,phase:2,pass,chain"\nSecRule ARGS:b "@within %{tx.allowed}" ""`;
    const { lines } = run(rules, { uri: '/?a=1&b=name1' });
    expect(lines[0]).toContain("Matched \"Operator `Within' with parameter `/name1/' against variable `ARGS:b' (Value: `name1' )");
  });

  it('is empty for SecAction, which has no operator', () => {
    const { lines } = run(`SecAction "id:1,phase:1,pass,log"`, { uri: '/' });
    expect(lines[0]).toMatch(/^ModSecurity: Warning\. {2}\[file /);
  });
});

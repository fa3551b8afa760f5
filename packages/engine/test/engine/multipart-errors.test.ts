import { run } from './helpers';

// libmodsecurity v3's multipart processing as transaction.cc and multipart.cc run it: init() checks the
// Content-Type, process() the body, multipart_complete() sets the flags and then adds the parts as arguments.
const ON = 'SecRuleEngine On\nSecRequestBodyAccess On\n';
const post = (contentType: string, body: string) => ({
  method: 'POST',
  uri: '/upload',
  headers: [['Host', 'example.com'], ['Content-Type', contentType]] as Array<[string, string]>,
  body,
});

describe('multipart bodies with errors, as libmodsecurity v3 handles them', () => {
  it('an empty body is still processed: a bad boundary sets MULTIPART_STRICT_ERROR and REQBODY_ERROR', () => {
    const r = run(ON, post('multipart/form-data; boundary="abc', ''));
    expect(r.tx.vars.get('MULTIPART_STRICT_ERROR')).toBe('1');
    expect(r.tx.vars.get('REQBODY_ERROR')).toBe('1');
    expect(r.tx.vars.get('REQBODY_ERROR_MSG')).toBe('Multipart parsing error: Multipart: Invalid boundary in C-T (quote).');
    const denied = run(ON + 'SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,deny,status:400"', post('multipart/form-data; boundary="abc', ''));
    expect(denied.interruption?.status).toBe(400);
  });

  it('an empty body with a good boundary sets no error', () => {
    const r = run(ON, post('multipart/form-data; boundary=abc', ''));
    expect(r.tx.vars.get('MULTIPART_STRICT_ERROR')).toBe('0');
    expect(r.tx.vars.get('REQBODY_ERROR')).toBe('0');
  });

  it('a part-header error that does not stop the parser keeps every part as an argument', () => {
    const body = '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\n<script>\r\n' +
      '--abc\r\nX Bad: 1\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--abc--\r\n';
    const r = run(ON + 'SecRule ARGS_POST:a "@contains <script>" "id:1,phase:2,pass,log"', post('multipart/form-data; boundary=abc', body));
    expect(r.tx.vars.get('REQBODY_ERROR')).toBe('1');
    expect(r.tx.vars.get('REQBODY_ERROR_MSG')).toBe('Multipart parsing error: Multipart: Invalid part header (contains invalid character).');
    expect(r.tx.collection('ARGS_POST')!.entries().map((e) => [e.key, e.value])).toEqual([['a', '<script>'], ['b', '2']]);
    expect(r.logged).toEqual([1]);
  });

  it('without the final boundary no part becomes an argument (v3 returns before adding them); MULTIPART_NAME is filled', () => {
    const body = '--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--abc\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n';
    const r = run(ON, post('multipart/form-data; boundary=abc', body));
    expect(r.tx.vars.get('REQBODY_ERROR_MSG')).toBe('Multipart parsing error: Multipart: Final boundary missing.');
    expect(r.tx.collection('ARGS_POST')!.size).toBe(0);
    expect(r.tx.collection('MULTIPART_NAME')!.entries().map((e) => e.key)).toEqual(['a', 'b']);
  });
});

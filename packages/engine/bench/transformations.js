#!/usr/bin/env node
// Times the transformations and operators that CRS 4 runs on almost every value, over short values like the
// ones a benign request carries (header values, JSON fields, ARGS_NAMES), and separately over hostile-ish
// values that take the slow paths (escapes, entities, high bytes). Prints ns per call for each mix.
//
// Usage: node bench/transformations.js [distDir ...] [--json]
//   distDir defaults to ../dist (build with `npx tsc -p tsconfig.build.json`). Given two or more build
//   directories (e.g. one built from an older commit with --outDir), the rounds of every version alternate,
//   so that a busy neighbour on a shared machine slows them all alike, and one column per version is printed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const given = args.filter((a) => !a.startsWith('--'));
const dists = (given.length > 0 ? given : [path.join(__dirname, '../dist')]).map((d) => path.resolve(d));
const crsRules = path.resolve(__dirname, '../../../../shared/crs4/rules');


const BENIGN = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'gzip, deflate',
  'en-US,en;q=0.5',
  'localhost',
  'http://localhost/shop/index.html',
  'Widget',
  '12.50',
  'john@example.com',
  '2024-01-01T10:00:00Z',
  'Lorem ipsum dolor sit amet, consectetur',
  '/api/orders',
  'SKU100000',
  'market_apple_mountain',
  'json.order.items.12.name',
  '6412',
  'true',
  'John_Smith',
  '',
];

const HOSTILE = [
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  'q=harry+potter&x=%u0041%uFF1C',
  '&lt;img src=x onerror=alert(1)&gt; &#x41;&#66;&quot;',
  '\\u0061lert\\x28\\101\\n\\"',
  'caf\xc3\xa9 na\xc3\xafve \xe2\x82\xac 100',
  'a\0b\0c',
  'SELECT/*x*/1  FROM\t\tusers',
  '/a/./b/../../etc//passwd',
  'c:\\windows\\system32 ^ "cmd" , /c',
  'dXNlcjpwYXNzd29yZA==',
  'Basic dXNlcjpwYXNz',
  'ÀÉÎõü high latin1',
];

const NUMBERS = ['1', '5', '0', '2', '100', '0', '4', '3', ' 7', '-1', '1024', 'x'];

function dataPhrases(file) {
  const lines = fs.readFileSync(path.join(crsRules, file), 'latin1').split('\n');
  return lines.map((l) => l.replace(/\r$/, '')).filter((l) => !/^[ \t\v\f\r]*(#|$)/.test(l));
}

function cases(dist) {
  const t = (name) => require(path.join(dist, 'transformations', name));
  const o = (name) => require(path.join(dist, 'operators', name));
  const ctx = {};
  const list = [];
  const transformation = (file, exportName) => {
    const def = t(file)[exportName];
    list.push({ name: `t:${def.name}`, fn: (v) => def.transform(v, ctx), mixes: { benign: BENIGN, hostile: HOSTILE } });
  };
  transformation('base64-decode', 'base64Decode');
  transformation('cmd-line', 'cmdLine');
  transformation('lowercase', 'lowercase');
  transformation('utf8-to-unicode', 'utf8toUnicode');
  transformation('url-decode-uni', 'urlDecodeUni');
  transformation('url-decode', 'urlDecode');
  transformation('html-entity-decode', 'htmlEntityDecode');
  transformation('js-decode', 'jsDecode');
  transformation('css-decode', 'cssDecode');
  transformation('normalize-path', 'normalizePath');
  transformation('remove-nulls', 'removeNulls');
  transformation('compress-whitespace', 'compressWhitespace');
  transformation('replace-comments', 'replaceComments');

  const run = { captures: null, resolve: () => '', setGeo: () => undefined };
  const compileCtx = {
    macro: (text) => ({ constant: text.text, expand: () => text.text }),
    readDataFile: (name) => fs.readFileSync(path.join(crsRules, name), 'latin1'),
    warn: () => undefined,
    options: { allowBacktrackingRegex: true, allowInspectFile: false },
  };
  const operator = (file, exportName, argument, label, mixes) => {
    const matcher = o(file)[exportName].compile({ text: argument, parts: [] }, compileCtx);
    list.push({ name: label, fn: (v) => matcher(v, run), mixes });
  };
  const values = { benign: BENIGN, hostile: HOSTILE };
  operator('pm', 'pm', 'document.cookie document.domain document.querySelector document.body.appendChild '
    + 'document.write .parentnode .innerhtml window.location -moz-binding <!-- <![cdata[', '@pm (941180)', values);
  operator('pm-from-file', 'pmFromFile', 'unix-shell.data', '@pmFromFile unix-shell', values);
  operator('pm-from-file', 'pmFromFile', 'lfi-os-files.data', '@pmFromFile lfi-os-files', values);
  // Every request-side data file at once, each value through all of them as CRS does: the tables no longer
  // all fit the CPU caches, which a single-list row does not show.
  const lists = ['ai-critical-artifacts', 'java-classes', 'lfi-os-files', 'php-function-names-933150', 'php-variables',
    'restricted-files', 'restricted-upload', 'ssrf-no-scheme', 'ssrf', 'unix-shell', 'windows-powershell-commands'];
  const all = lists.map((l) => o('pm-from-file').pmFromFile.compile({ text: `${l}.data`, parts: [] }, compileCtx));
  list.push({
    name: '@pmFromFile x11 lists',
    fn: (v) => {
      let found = 0;
      for (let k = 0; k < all.length; k++) if (all[k](v, run)) found++;
      return found;
    },
    mixes: values,
  });
  operator('validate-utf8-encoding', 'validateUtf8Encoding', '', '@validateUtf8Encoding', values);
  const numbers = { benign: NUMBERS, hostile: ['99999999999999999999', '  +42abc', '-9223372036854775809', '0000012'] };
  operator('lt', 'lt', '2', '@lt 2', numbers);
  operator('eq', 'eq', '0', '@eq 0', numbers);
  operator('ge', 'ge', '5', '@ge 5', numbers);
  // Keep the data files honest: a phrase list that failed to load would make the pmFromFile rows meaningless.
  if (dataPhrases('unix-shell.data').length < 100) throw new Error('unix-shell.data looks empty');
  return list;
}

let sink = 0;

/** ns per call of one round over `values`. */
function round(fn, values) {
  const calls = Math.max(1, Math.ceil(100_000 / values.length));
  const start = process.hrtime.bigint();
  for (let k = 0; k < calls; k++) {
    for (let i = 0; i < values.length; i++) {
      const r = fn(values[i]);
      sink = (sink + (typeof r === 'string' ? r.length : r ? 1 : 0)) | 0;
    }
  }
  return Number(process.hrtime.bigint() - start) / (calls * values.length);
}

const ROUNDS = 15;
const perDist = dists.map((d) => cases(d));
const rows = perDist[0].map((c, k) => {
  const best = { benign: dists.map(() => Infinity), hostile: dists.map(() => Infinity) };
  for (let r = -1; r < ROUNDS; r++) {
    for (const mix of ['benign', 'hostile']) {
      dists.forEach((_, v) => {
        const cv = perDist[v][k];
        const ns = round(cv.fn, cv.mixes[mix]);
        // Round -1 warms up the code; the best of the others is kept, so that a GC or a burst does not count.
        if (r >= 0) best[mix][v] = Math.min(best[mix][v], ns);
      });
    }
  }
  return { name: c.name, benign: best.benign, hostile: best.hostile };
});

if (asJson) {
  process.stdout.write(`${JSON.stringify({ dists, rows })}\n`);
} else {
  dists.forEach((d, v) => console.log(`[${v}] ${d}`));
  const cols = (label) => dists.map((_, v) => `${label}[${v}]`.padStart(12)).join('');
  console.log(`${'ns per call'.padEnd(28)}${cols('benign')}${cols('hostile')}`);
  for (const r of rows) {
    const fmt = (xs) => xs.map((x) => x.toFixed(1).padStart(12)).join('');
    console.log(`${r.name.padEnd(28)}${fmt(r.benign)}${fmt(r.hostile)}`);
  }
  if (sink === 0.5) console.log('');
}

#!/usr/bin/env node
'use strict';
// Rewrites the checks table of README.md from the built checks (run `pnpm build` first); the meta test
// fails when a check is missing from the README.
const fs = require('node:fs');
const path = require('node:path');
const { builtinChecks } = require('../dist');

const readmePath = path.join(__dirname, '..', 'README.md');
const HEAD = '| check | severity | profiles | fix | what it finds |';
const rows = builtinChecks.map((c) => {
  const profiles = (c.meta.profiles ?? ['generic', 'crs']).join(', ');
  const fix = c.meta.fixable === true ? 'yes' : '';
  return `| <a id="${c.name}"></a>\`${c.name}\` | ${c.meta.severity} | ${profiles} | ${fix} | ${c.meta.docs.replace(/\|/g, '\\|')} |`;
});
const table = [HEAD, '|---|---|---|---|---|', ...rows].join('\n') + '\n';
const readme = fs.readFileSync(readmePath, 'utf8');
const updated = readme.replace(/\| check \| severity \|[^\n]*\n\|---(?:\|---)+\|\n(?:\|.*\n)*/, table);
if (updated === readme && !readme.includes(table)) throw new Error('checks table not found in README.md');
fs.writeFileSync(readmePath, updated);

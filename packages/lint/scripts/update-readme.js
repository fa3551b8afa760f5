#!/usr/bin/env node
'use strict';
// Rewrites the checks table of README.md from the built checks (run `pnpm build` first); the meta test
// fails when a check is missing from the README.
const fs = require('node:fs');
const path = require('node:path');
const { builtinChecks } = require('../dist');

const readmePath = path.join(__dirname, '..', 'README.md');
const rows = builtinChecks.map((c) => `| \`${c.name}\` | ${c.meta.severity} | ${c.meta.docs.replace(/\|/g, '\\|')} |`);
const table = ['| check | severity | what it finds |', '|---|---|---|', ...rows].join('\n') + '\n';
const readme = fs.readFileSync(readmePath, 'utf8');
const updated = readme.replace(/\| check \| severity \| what it finds \|\n\|---\|---\|---\|\n(?:\|.*\n)*/, table);
if (updated === readme && !readme.includes(table)) throw new Error('checks table not found in README.md');
fs.writeFileSync(readmePath, updated);

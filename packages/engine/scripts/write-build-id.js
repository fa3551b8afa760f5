#!/usr/bin/env node
// Writes dist/build-id.json: a digest of the engine's sources, which names the build in compile memo files
// (src/compile-memo/memo-file.ts) without hashing the installed files at every start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { sourceDigest } = require('../dist/compile-memo/source-digest.js');

const root = path.resolve(__dirname, '..');
fs.writeFileSync(path.join(root, 'dist/build-id.json'), `${JSON.stringify({ id: sourceDigest(path.join(root, 'src')) })}\n`);

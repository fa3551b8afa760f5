#!/usr/bin/env node
// Writes manifest/crs-<version>.sha256 from a pristine CRS release tree (default ../../shared/crs4); the version
// is read from the tree. Run after `pnpm build` in this package:
//   node scripts/generate-manifest.js [CRS_DIR] [SOURCE-NOTE]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { computeManifest, formatManifest, manifestPath } = require('../dist/manifest.js');
const { readCrsVersion } = require('../dist/tree.js');

const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'shared', 'crs4'));
const { version } = readCrsVersion(dir);
const entries = computeManifest(dir);
if (entries.length === 0) {
  console.error(`no CRS rule or data files under ${dir}`);
  process.exit(1);
}
const out = manifestPath(version);
fs.writeFileSync(out, formatManifest(entries, version, process.argv[3]));
console.log(`wrote ${entries.length} hashes of CRS ${version} to ${out}`);

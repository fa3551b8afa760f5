#!/usr/bin/env node
// Regenerates manifest/crs-<version>.sha256 from a pristine CRS copy (default ../../shared/crs4).
// Run after `pnpm build` in this package: node scripts/generate-manifest.js [CRS_DIR]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { computeManifest, formatManifest, BUNDLED_MANIFEST_PATH } = require('../dist/manifest.js');

const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'shared', 'crs4'));
const entries = computeManifest(dir);
if (entries.length === 0) {
  console.error(`no CRS rule or data files under ${dir}`);
  process.exit(1);
}
fs.writeFileSync(BUNDLED_MANIFEST_PATH, formatManifest(entries));
console.log(`wrote ${entries.length} hashes to ${BUNDLED_MANIFEST_PATH}`);

// Adds up the jest JSON reports that each package's `test` script writes to .test-results/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = ['packages', 'rules-crs4', 'conformance', 'tools/pack-test'];
let passed = 0, failed = 0, skipped = 0, suitesFailed = 0, reports = 0;
for (const top of dirs) {
  const base = path.join(root, top);
  if (!fs.existsSync(base)) continue;
  const candidates = top === 'packages' ? fs.readdirSync(base).map((d) => path.join(base, d)) : [base];
  for (const dir of candidates) {
    const file = path.join(dir, '.test-results', 'jest-report.json');
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    reports++;
    passed += r.numPassedTests; failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    suitesFailed += r.numRuntimeErrorTestSuites;
    if (!r.success) console.log(`failing package: ${path.relative(root, dir)}`);
  }
}
if (suitesFailed > 0) console.log(`${suitesFailed} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed + suitesFailed} failed, ${skipped} skipped`);
process.exit(failed + suitesFailed > 0 || reports === 0 ? 1 : 0);

// Adds up the jest JSON reports that each package's `test` script writes to .test-results/.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dirs = ['packages', 'rules-crs4', 'conformance', 'tools/pack-test'];
// Further trees whose reports count too (the Node 24 run's copy), given as arguments relative to the root.
const trees = [root, ...process.argv.slice(2).map((p) => path.resolve(root, p))];
let passed = 0, failed = 0, skipped = 0, suitesFailed = 0, reports = 0;
for (const tree of trees) {
  let treePassed = 0, treeFailed = 0;
  for (const top of dirs) {
    const base = path.join(tree, top);
    if (!fs.existsSync(base)) continue;
    const candidates = top === 'packages' ? fs.readdirSync(base).map((d) => path.join(base, d)) : [base];
    for (const dir of candidates) {
      const file = path.join(dir, '.test-results', 'jest-report.json');
      if (!fs.existsSync(file)) continue;
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      reports++;
      passed += r.numPassedTests; failed += r.numFailedTests;
      treePassed += r.numPassedTests; treeFailed += r.numFailedTests + r.numRuntimeErrorTestSuites;
      skipped += r.numPendingTests + r.numTodoTests;
      suitesFailed += r.numRuntimeErrorTestSuites;
      if (!r.success) console.log(`failing package: ${path.relative(root, dir)}`);
    }
  }
  if (trees.length > 1) console.log(`${path.relative(root, tree) || '.'}: ${treePassed} passed, ${treeFailed} failed (jest)`);
}
if (suitesFailed > 0) console.log(`${suitesFailed} test suite(s) failed to run`);
console.log(`${passed} passed, ${failed + suitesFailed} failed, ${skipped} skipped`);
process.exit(failed + suitesFailed > 0 || reports === 0 ? 1 : 0);

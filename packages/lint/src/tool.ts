import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** This package's root: src/ and dist/ both sit one level below package.json. */
const packageRoot = path.resolve(__dirname, '..');

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * How the linter names itself in machine-readable output. The information URI is the README installed with
 * the package (the project has no public home page to point at): it documents every check of this version.
 */
export const tool = {
  name: 'rampart-lint',
  version: readVersion(),
  informationUri: pathToFileURL(path.join(packageRoot, 'README.md')).href,
  /** Where a check's documentation is: the README's table of checks. */
  helpUri: (check: string) => `${pathToFileURL(path.join(packageRoot, 'README.md')).href}#${check}`,
};

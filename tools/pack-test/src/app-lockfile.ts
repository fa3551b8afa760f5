import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/**
 * A pnpm lockfile for an application outside the workspace that depends on our packed tarballs, derived from the
 * workspace's own lockfile: every third-party package resolves to the version the workspace installed (and tested).
 *
 * Why: the application can then be installed with `pnpm install --offline --frozen-lockfile` from the local store
 * alone. Without a lockfile pnpm must resolve versions, which needs registry metadata that a workspace installed from
 * its lockfile never cached, and a fresh resolution may pick newer transitive versions (node-gyp's), whose different
 * dependency hash makes pnpm rebuild re2 from source (minutes) instead of reusing the build in its store.
 */

interface ImporterDep {
  specifier: string;
  version: string;
}

interface Importer {
  dependencies?: Record<string, ImporterDep>;
  devDependencies?: Record<string, ImporterDep>;
  optionalDependencies?: Record<string, ImporterDep>;
}

interface Snapshot {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Lockfile {
  lockfileVersion: string;
  settings?: Record<string, unknown>;
  overrides?: Record<string, string>;
  importers: Record<string, Importer>;
  packages?: Record<string, Record<string, unknown>>;
  snapshots?: Record<string, Snapshot>;
}

/** One packed workspace package. */
export interface Tarball {
  readonly name: string;
  readonly version: string;
  /** The package's directory relative to the workspace root (its importer key in the lockfile). */
  readonly importer: string;
  /** The tarball's path relative to the application directory, as written in `file:` specifiers. */
  readonly file: string;
  readonly absolutePath: string;
  readonly engines?: Record<string, string>;
  readonly hasBin: boolean;
}

export interface ThirdPartyDep {
  readonly name: string;
  /** The workspace importer whose resolved version to use (e.g. `packages/http` for express). */
  readonly from: string;
}

function integrityOf(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** `name@1.2.3(peer@4.5.6)` -> `name@1.2.3` (the packages section has no peer suffixes). */
function packageKey(snapshotKey: string): string {
  const paren = snapshotKey.indexOf('(');
  return paren === -1 ? snapshotKey : snapshotKey.slice(0, paren);
}

function resolvedIn(workspace: Lockfile, importer: string, name: string): string {
  const entry = workspace.importers[importer];
  const dep = entry?.dependencies?.[name] ?? entry?.optionalDependencies?.[name] ?? entry?.devDependencies?.[name];
  if (dep === undefined) throw new Error(`pack-test: ${name} is not a dependency of ${importer} in pnpm-lock.yaml`);
  return dep.version;
}

export interface AppLockfile {
  readonly lockfile: string;
  /** package.json `pnpm.overrides`: our packages' dependencies on each other go to the tarballs too. */
  readonly overrides: Record<string, string>;
  /** package.json `dependencies`, with the specifiers the lockfile records. */
  readonly dependencies: Record<string, string>;
}

export function deriveAppLockfile(workspaceLockfile: string, tarballs: readonly Tarball[], thirdParty: readonly ThirdPartyDep[]): AppLockfile {
  const workspace = parse(readFileSync(workspaceLockfile, 'utf8')) as Lockfile;
  const byName = new Map(tarballs.map((t) => [t.name, t]));
  const fileSpec = (t: Tarball): string => `file:${t.file}`;
  const packages: Record<string, Record<string, unknown>> = {};
  const snapshots: Record<string, Snapshot> = {};
  const pending: string[] = [];
  const need = (name: string, version: string): string => {
    if (version.startsWith('link:')) {
      const t = byName.get(name);
      if (t === undefined) throw new Error(`pack-test: ${name} is a workspace package that was not packed`);
      return fileSpec(t);
    }
    pending.push(`${name}@${version}`);
    return version;
  };

  for (const t of tarballs) {
    const key = `${t.name}@${fileSpec(t)}`;
    packages[key] = {
      resolution: { integrity: integrityOf(t.absolutePath), tarball: fileSpec(t) },
      version: t.version,
      ...(t.engines ? { engines: t.engines } : {}),
      ...(t.hasBin ? { hasBin: true } : {}),
    };
    const deps: Record<string, string> = {};
    for (const [name, dep] of Object.entries(workspace.importers[t.importer]?.dependencies ?? {})) deps[name] = need(name, dep.version);
    snapshots[key] = Object.keys(deps).length > 0 ? { dependencies: deps } : {};
  }

  const rootDeps: Record<string, ImporterDep> = {};
  for (const t of tarballs) rootDeps[t.name] = { specifier: fileSpec(t), version: fileSpec(t) };
  for (const dep of thirdParty) {
    const version = resolvedIn(workspace, dep.from, dep.name);
    rootDeps[dep.name] = { specifier: version.split('(')[0]!, version: need(dep.name, version) };
  }

  // Every third-party package the roots reach, copied as the workspace resolved it.
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (snapshots[key] !== undefined) continue;
    const snapshot = workspace.snapshots?.[key];
    const pkg = workspace.packages?.[packageKey(key)];
    if (snapshot === undefined || pkg === undefined) throw new Error(`pack-test: ${key} is not in the workspace lockfile`);
    snapshots[key] = snapshot;
    packages[packageKey(key)] = pkg;
    for (const [name, version] of [...Object.entries(snapshot.dependencies ?? {}), ...Object.entries(snapshot.optionalDependencies ?? {})]) {
      pending.push(`${name}@${version}`);
    }
  }

  const overrides: Record<string, string> = {};
  for (const t of tarballs) overrides[t.name] = fileSpec(t);
  const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  const lockfile: Lockfile = {
    lockfileVersion: workspace.lockfileVersion,
    ...(workspace.settings ? { settings: workspace.settings } : {}),
    overrides: sortKeys(overrides),
    importers: { '.': { dependencies: sortKeys(rootDeps) } },
    packages: sortKeys(packages),
    snapshots: sortKeys(snapshots),
  };
  const dependencies = Object.fromEntries(Object.entries(rootDeps).map(([name, dep]) => [name, dep.specifier]));
  return { lockfile: stringify(lockfile, { lineWidth: 0 }), overrides, dependencies };
}

export { CRS_ARCHIVE_URL, CRS_VERSION } from './version';
export { CrsError, type CrsErrorCode } from './errors';
export { defaultCacheDir } from './cache-dir';
export {
  assertCrsDir,
  BUNDLED_MANIFEST_PATH,
  computeManifest,
  formatManifest,
  listCrsFiles,
  loadBundledManifest,
  type ManifestEntry,
  parseManifest,
  verifyCrsDir,
  type VerifyResult,
} from './manifest';
export { type CrsSource, type LocatedCrs, locateCrs, type LocateOptions } from './locate';
export { fetchCrs, type FetchOptions, type FetchResult } from './fetch';
export { extractTar, readTar, type ExtractOptions, type TarEntry, type TarEntryType } from './tar-reader';
export { engineConfig, type EngineConfigOptions } from './engine-config';
export { configureCrsSetup, type CrsSetting, type CrsSetupEdits, readCrsSetup } from './crs-setup';
export {
  CRS_CI_SETTINGS,
  CRS_PROFILES,
  crsConfig,
  type CrsConfig,
  type CrsConfigOptions,
  type CrsProfile,
  crsRuleFiles,
  TEST_MARKER_RULE,
} from './profiles';

export { compareCrsVersions, CRS_ARCHIVE_URL, crsArchiveUrl, crsMajor, CRS_VERSION, isCrsVersion } from './version';
export { CrsError, type CrsErrorCode } from './errors';
export { cacheRoot, defaultCacheDir } from './cache-dir';
export {
  assertCrsDir,
  BUNDLED_MANIFEST_PATH,
  computeManifest,
  describeMismatch,
  formatManifest,
  listCrsFiles,
  loadBundledManifest,
  loadManifest,
  type ManifestEntry,
  manifestPath,
  parseManifest,
  shippedManifestVersions,
  verifyCrsDir,
  type VerifyResult,
} from './manifest';
export { type CrsTree, readCrsTree, readCrsVersion } from './tree';
export { type CrsSource, type CrsVerification, type LocatedCrs, locateCrs, type LocateOptions } from './locate';
export { fetchCrs, type FetchOptions, type FetchResult } from './fetch';
export { commonTopLevel, extractArchive, listArchive } from './archive';
export { engineConfig, type EngineConfigOptions } from './engine-config';
export { configureCrsSetup, type CrsSetting, type CrsSetupEdits, readCrsSetup } from './crs-setup';
export { type CrsPluginFiles, readPluginDir } from './plugins';
export { UNICODE_CODE_PAGE, UNICODE_MAP_FILE } from './unicode-map';
export {
  CRS_CI_SETTINGS,
  CRS_PROFILES,
  crsCiSettings,
  crsConfig,
  type CrsConfig,
  type CrsConfigOptions,
  type CrsProfile,
  crsRuleFiles,
  paranoiaVariable,
  TEST_MARKER_RULE,
} from './profiles';

export type {
  Backend,
  BackendResponse,
  ConnectionInfo,
  FtwStage,
  FtwTest,
  FtwTestFile,
  HeaderTuple,
  InProcessWaf,
  LogExpectations,
  ParsedHttpRequest,
  StageInput,
  StageOutput,
  WafRunResult,
} from './types';
export { ConformanceError, type ConformanceErrorCode } from './errors';
export { findTestFiles, loadTestFiles, loadTests, parseTestFile } from './load-tests';
export { buildRequest, encodeFormBody, stageBody, stageDestination, type Destination } from './build-request';
export { renderGoTemplate } from './go-template';
export { queryEscape, queryUnescape } from './go-url';
export { canonicalHeaderKey } from './go-header';
export { goRegExp } from './go-regexp';
export { DEFAULT_CONNECTION, type FrontEndResult, parseHttpRequest } from './front-end';
export { albedo, AlbedoBackend, type AlbedoOptions, sniffContentType } from './albedo';
export { idsInLine, triggeredIds } from './log-ids';
export { effectiveLog, judgeStage, type StageObservation, type StageVerdict } from './judge';
export {
  type AppliedOverride,
  applyPlatformOverrides,
  EMPTY_LISTS,
  type ListEntry,
  type ListKind,
  listVerdict,
  loadPlatformOverrides,
  loadResultLists,
  mergeResultLists,
  parsePlatformOverrides,
  parseResultLists,
  type PlatformOverrides,
  type ResultLists,
  type TestOverride,
} from './overrides';
export { sendRaw, type RawSendOptions } from './raw-http-client';
export { type HttpStageResult, type HttpTarget, MarkerSession } from './http-mode';
export { type InProcessStageResult, runInProcessStage } from './in-process';
export { type Progress, runSuite, selectTests, type SuiteOptions, type TestFilter } from './runner';
export { type Report, type StageReport, summarize, summaryLine, type TestReport, type TestResult, type Totals } from './report';
export { type BaselineDiff, compareTestIds, diffBaseline, formatBaseline, parseBaseline, readBaseline, writeBaseline } from './baseline';
export { progressBar } from './progress';
export { createEngineWaf, type WafFactoryModule } from './engine-waf';
export { parseArgs, runCli, USAGE, type CliIo } from './cli-main';

/** A request as the front end (the emulated Apache httpd of CRS's CI) hands it to the WAF. All text is latin1. */
export interface ParsedHttpRequest {
  /** As on the request line, e.g. `GET`, `REALLYLONGUNREALMETHOD`. */
  readonly method: string;
  /** The request target exactly as sent (no decoding, no normalisation). */
  readonly uri: string;
  /** As on the request line, e.g. `HTTP/1.1`. */
  readonly protocol: string;
  /** The request line as received, without its line ending (REQUEST_LINE). */
  readonly requestLine: string;
  /** In arrival order. Repeated fields are already merged into the first one (`a, b`), as httpd does. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** The message body after de-chunking; '' when there is none. */
  readonly body: string;
  readonly connection: ConnectionInfo;
}

export interface ConnectionInfo {
  readonly clientIp: string;
  readonly clientPort: number;
  readonly serverIp: string;
  readonly serverPort: number;
}

/** What the emulated backend (albedo) answers. */
export interface BackendResponse {
  readonly status: number;
  readonly protocol: string;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  /** latin1 */
  readonly body: string;
}

export type Backend = (request: ParsedHttpRequest) => BackendResponse;

export interface WafRunResult {
  /** The status the client would see (the backend's, unless the WAF interrupted). */
  readonly status: number;
  /** Error-log lines the transaction wrote, in order, in ModSecurity's format (`... [id "942100"] [msg "..."] ...`). */
  readonly logLines: readonly string[];
  /** Optional, for `response_contains`: the headers and body the client received. */
  readonly responseHeaders?: ReadonlyArray<readonly [name: string, value: string]>;
  readonly responseBody?: string;
}

/**
 * One WAF under test, in-process. The integrator implements this on top of the engine: one transaction per call,
 * all five phases, the backend called between the request and the response phases unless the WAF interrupted.
 */
export interface InProcessWaf {
  run(request: ParsedHttpRequest, backend: Backend): Promise<WafRunResult>;
}

// ---- go-ftw test files (schema v2.3.0), normalised -----------------------------------------------------------

export interface HeaderTuple {
  readonly name: string;
  readonly value: string;
}

export interface StageInput {
  readonly destAddr?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly method?: string;
  readonly uri?: string;
  readonly version?: string;
  /** The deprecated map form CRS uses; go-ftw emits it sorted by name. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly orderedHeaders?: readonly HeaderTuple[];
  /** null when the YAML key is present without a value (Go's nil pointer). */
  readonly data?: string | null;
  /**
   * The stage is in the older ftw format (nested under `stage:`, CRS 3.3): its `data` is sent as written (a list
   * of lines joined with CRLF), without go-ftw's LF-to-CRLF rewrite of multipart bodies.
   */
  readonly olderFtw?: boolean;
  readonly encodedData?: string;
  readonly encodedRequest?: string;
  readonly autocompleteHeaders?: boolean;
  readonly stopMagic?: boolean;
  readonly saveCookie?: boolean;
  readonly followRedirect?: boolean;
  readonly virtualHostMode?: boolean;
}

export interface LogExpectations {
  readonly expectIds?: readonly number[];
  readonly noExpectIds?: readonly number[];
  readonly matchRegex?: string;
  readonly noMatchRegex?: string;
}

export interface StageOutput {
  /** One status, or (the older ftw format, `status: [403, 400]`) any of several. */
  readonly status?: number | readonly number[];
  readonly responseContains?: string;
  readonly log?: LogExpectations;
  readonly logContains?: string;
  readonly noLogContains?: string;
  readonly expectError?: boolean;
  readonly retryOnce?: boolean;
  readonly isolated?: boolean;
}

export interface FtwStage {
  readonly description?: string;
  readonly input: StageInput;
  readonly output: StageOutput;
}

export interface FtwTest {
  /** `<rule_id>-<test_id>`, what include/exclude and the override lists match. */
  readonly id: string;
  readonly ruleId: number;
  readonly testId: number;
  readonly desc?: string;
  readonly tags: readonly string[];
  readonly stages: readonly FtwStage[];
  /** Path relative to the tests directory, e.g. `REQUEST-920-PROTOCOL-ENFORCEMENT/920100.yaml`. */
  readonly file: string;
}

export interface FtwTestFile {
  readonly file: string;
  /** The top directory, e.g. `REQUEST-920-PROTOCOL-ENFORCEMENT`. */
  readonly family: string;
  readonly ruleId: number;
  readonly meta: { readonly author?: string; readonly name?: string; readonly description?: string; readonly tags: readonly string[] };
  readonly tests: readonly FtwTest[];
}

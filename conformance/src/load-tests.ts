import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { ConformanceError } from './errors';
import type { FtwStage, FtwTest, FtwTestFile, LogExpectations, StageInput, StageOutput } from './types';
import { YamlReader } from './yaml-values';

/** go-ftw `run` globs `<dir>/**\/*.y*ml`: directory entries in byte order, files and subdirectories as found. */
export function findTestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string, depth: number): void => {
    if (depth > 32) return;
    for (const name of readdirSync(abs).sort()) {
      const full = path.join(abs, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      if (statSync(full).isDirectory()) walk(full, relPath, depth + 1);
      else if (/\.y[^/]*ml$/.test(name)) out.push(relPath);
    }
  };
  walk(dir, '', 0);
  return out;
}

function readInput(r: YamlReader | undefined): StageInput {
  if (!r) return {};
  const orderedHeaders = r.children('ordered_headers')?.map((h) => ({ name: h.string('name') ?? '', value: h.string('value') ?? '' }));
  const input: { -readonly [K in keyof StageInput]: StageInput[K] } = {};
  const set = <K extends keyof StageInput>(k: K, v: StageInput[K] | undefined): void => {
    if (v !== undefined) input[k] = v;
  };
  set('destAddr', r.string('dest_addr'));
  set('port', r.int('port'));
  set('protocol', r.string('protocol'));
  set('method', r.string('method'));
  set('uri', r.string('uri'));
  set('version', r.nullableString('version') ?? undefined);
  set('headers', r.stringMap('headers'));
  set('orderedHeaders', orderedHeaders);
  // The older ftw format may give `data:` as a list of lines, which it sends joined with CRLF.
  set('data', r.isList('data') ? (r.stringList('data') ?? []).join('\r\n') : r.nullableString('data'));
  set('encodedData', r.string('encoded_data'));
  set('encodedRequest', r.string('encoded_request'));
  set('autocompleteHeaders', r.bool('autocomplete_headers'));
  set('stopMagic', r.bool('stop_magic'));
  set('saveCookie', r.bool('save_cookie'));
  set('followRedirect', r.bool('follow_redirect'));
  set('virtualHostMode', r.bool('virtual_host_mode'));
  return input;
}

export function readLog(r: YamlReader | undefined): LogExpectations | undefined {
  if (!r) return undefined;
  const log: { -readonly [K in keyof LogExpectations]: LogExpectations[K] } = {};
  const expectIds = r.intList('expect_ids');
  const noExpectIds = r.intList('no_expect_ids');
  const matchRegex = r.string('match_regex');
  const noMatchRegex = r.string('no_match_regex');
  if (expectIds !== undefined) log.expectIds = expectIds;
  if (noExpectIds !== undefined) log.noExpectIds = noExpectIds;
  if (matchRegex !== undefined) log.matchRegex = matchRegex;
  if (noMatchRegex !== undefined) log.noMatchRegex = noMatchRegex;
  return log;
}

export function readOutput(r: YamlReader | undefined): StageOutput {
  if (!r) return {};
  const out: { -readonly [K in keyof StageOutput]: StageOutput[K] } = {};
  const set = <K extends keyof StageOutput>(k: K, v: StageOutput[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('status', r.intOrIntList('status'));
  set('responseContains', r.string('response_contains'));
  set('log', readLog(r.child('log')));
  set('logContains', r.string('log_contains'));
  set('noLogContains', r.string('no_log_contains'));
  set('expectError', r.bool('expect_error'));
  set('retryOnce', r.bool('retry_once'));
  set('isolated', r.bool('isolated'));
  return out;
}

/** Parses one test file with go-ftw's semantics (unknown keys ignored; rule_id from the file name when 0). */
export function parseTestFile(text: string, file: string): FtwTestFile {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConformanceError('TEST_FILE_INVALID', `${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  }
  const family = file.includes('/') ? (file.split('/')[0] ?? '') : '';
  // A file of comments only is an empty document; go-ftw loads it as a test file without tests.
  if (doc.contents === null) {
    const fromName = /\d+/.exec(path.basename(file));
    return { file, family, ruleId: fromName ? Number(fromName[0]) : 0, meta: { tags: [] }, tests: [] };
  }
  const root = YamlReader.root(file, doc.contents);
  let ruleId = root.int('rule_id') ?? 0;
  if (ruleId === 0) {
    const fromName = /\d+/.exec(path.basename(file));
    if (!fromName) throw new ConformanceError('TEST_FILE_INVALID', `${file}: no rule_id and no number in the file name`);
    ruleId = Number(fromName[0]);
  }
  const metaR = root.child('meta');
  const meta = {
    ...(metaR?.string('author') !== undefined ? { author: metaR.string('author') as string } : {}),
    ...(metaR?.string('name') !== undefined ? { name: metaR.string('name') as string } : {}),
    ...(metaR?.string('description') !== undefined ? { description: metaR.string('description') as string } : {}),
    tags: metaR?.stringList('tags') ?? [],
  };
  const tests: FtwTest[] = (root.children('tests') ?? []).map((t, index) => {
    const testId = t.int('test_id') || index + 1;
    const stages: FtwStage[] = (t.children('stages') ?? []).map((s) => {
      // Schema v1 nested the stage under `stage:`; go-ftw v2 reads the flat form. Accept both.
      const nested = s.child('stage');
      const stage = nested ?? s;
      const description = stage.string('description');
      const input = readInput(stage.child('input'));
      return {
        ...(description !== undefined ? { description } : {}),
        input: nested !== undefined ? { ...input, olderFtw: true } : input,
        output: readOutput(stage.child('output')),
      };
    });
    const desc = t.string('desc') ?? t.string('test_title');
    return { id: `${ruleId}-${testId}`, ruleId, testId, ...(desc !== undefined ? { desc } : {}), tags: t.stringList('tags') ?? [], stages, file };
  });
  return { file, family, ruleId, meta, tests };
}

export function loadTestFiles(dir: string): FtwTestFile[] {
  return findTestFiles(dir).map((rel) => parseTestFile(readFileSync(path.join(dir, rel), 'utf8'), rel));
}

export function loadTests(dir: string): FtwTest[] {
  return loadTestFiles(dir).flatMap((f) => f.tests);
}

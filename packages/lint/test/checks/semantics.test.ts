import { CheckTester } from '../../src/rule-tester';
import {
  argsNamesJsonPrefix,
  captureMissing,
  deprecated,
  engineLoad,
  ignoreComment,
  lateTNone,
  operatorArgument,
  regexDialect,
  unreachableDisruptive,
} from '../../src/checks';
import { missesJsonNames } from '../../src/checks/args-names-json-prefix';
import { dialectDifferences } from '../../src/checks/regex-dialect';

const tester = new CheckTester();

tester.run(engineLoad, {
  valid: ['SecRule REMOTE_ADDR "@ipMatch 192.168.0.0/16,::1" "id:1,phase:1,pass,setvar:tx.a=1"\n'],
  invalid: [
    {
      // Both refused by the engine; the parser and the other checks let them through.
      code: 'SecRule REMOTE_ADDR "@ipMatch 999.1.1.1" "id:1,phase:1,pass"\nSecAction "id:2,phase:1,pass,setvar:foo.bar=1"\n',
      errors: [
        { line: 1, column: 22, severity: 'error', message: '@ipMatch: "999.1.1.1" is not an IPv4 or IPv6 address or network' },
        { line: 2, column: 30, severity: 'error', message: /^setvar can write TX, IP, SESSION, USER, GLOBAL or RESOURCE, not 'FOO'/ },
      ],
    },
    {
      code: 'SecRule ARGS "@rx a(?=b)" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 15, severity: 'warning', message: /^rule 1: @rx: .*lookahead/ }],
    },
  ],
});

tester.run(captureMissing, {
  valid: [
    'SecRule ARGS "@rx (a)(b)" "id:1,phase:2,deny,capture,chain"\n  SecRule TX:1 "@streq a" "setvar:tx.x=%{TX.2}"\n',
    // msg and logdata of the first rule are expanded after the whole chain matched.
    'SecRule ARGS "@rx a" "id:1,phase:2,deny,logdata:\'%{TX.0}\',chain"\n  SecRule ARGS "@rx (b)" "capture"\n',
    'SecRule ARGS "@rx (a)" "id:1,phase:2,pass,capture,setvar:tx.x=%{tx.1}"\n',
    'SecRule TX:anomaly_score "@ge 5" "id:1,phase:2,deny"\n',
  ],
  invalid: [
    {
      code: 'SecRule TX:1 "@eq 1" "id:3,phase:2,deny"\n',
      errors: [{ line: 1, column: 9, message: 'TX:1 is read here but no rule of its chain has capture: it holds what an earlier, unrelated rule captured' }],
    },
    {
      code: 'SecRule ARGS "@rx attack" "id:4,phase:2,deny,msg:\'Matched: %{TX.1}\'"\n',
      errors: [{ line: 1, column: 46, message: /^%\{TX\.1\} is read here but no rule of its chain has capture/ }],
    },
    {
      // The chained rule reads TX:0 before the rule that captures (itself) has run its operator.
      code: 'SecRule ARGS "@rx a" "id:5,phase:2,deny,chain"\n  SecRule TX:0 "@rx (b)" "capture"\n',
      errors: [{ line: 2, column: 11, message: /^TX:0 is read here but the chain captures only after this rule/ }],
    },
  ],
});

tester.run(lateTNone, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,pass,t:none,t:lowercase,t:urlDecodeUni"\n', 'SecRule ARGS "@rx a" "id:1,phase:2,pass,t:lowercase"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,t:lowercase,t:urlDecode,t:none,t:trim"\n',
      errors: [{ line: 1, column: 65, message: 't:none after t:lowercase,t:urlDecode discards them: the rule inspects the untransformed value (write t:none first)' }],
    },
  ],
});

tester.run(operatorArgument, {
  valid: [
    'SecRule &ARGS "@eq 0" "id:1,phase:2,pass"\n',
    'SecRule TX:score "@ge %{tx.threshold}" "id:1,phase:2,deny"\n',
    'SecRule ARGS "@gt -1" "id:1,phase:2,pass"\n',
    'SecRule ARGS "@detectSQLi" "id:1,phase:2,deny"\n',
  ],
  invalid: [
    { code: 'SecRule ARGS "@eq abc" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, severity: 'error', message: "@eq compares integers: 'abc' is not one, so the value is compared with 0" }] },
    { code: 'SecRule ARGS "@gt 1.5" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: /compared with 1$/ }] },
    { code: 'SecRule ARGS "@detectSQLi foo" "id:1,phase:2,deny"\n', errors: [{ line: 1, column: 15, severity: 'warning', message: "@detectSQLi takes no argument: 'foo' is ignored" }] },
  ],
});

tester.run(regexDialect, {
  valid: [
    'SecRule ARGS "@rx (?i)union[\\s\\x0b]+select" "id:1,phase:2,pass"\n',
    'SecRule ARGS "@rx caf\xe9" "id:1,phase:2,pass"\n',
    // The flag ends with its group.
    'SecRule ARGS "@rx (?i:abc)\xe9" "id:1,phase:2,pass"\n',
    'SecRule ARGS "@rx a{1,3}\\x{ff}" "id:1,phase:2,pass"\n',
  ],
  invalid: [
    { code: 'SecRule ARGS "@rx a\\vb" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: /^@rx: \\v: RE2 matches the vertical tab \(0x0B\) alone/ }] },
    { code: 'SecRule ARGS "@rx a{,3}" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: /\{,n\}: RE2 .* literal text/ }] },
    { code: 'SecRule ARGS "@rx (?i)caf\xe9" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: /\(\?i\) with the non-ASCII byte 0xE9/ }] },
    { code: 'SecRule ARGS "@rx \\x{263a}" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: /\\x\{263a\}: a code point above 0xFF/ }] },
    { code: 'SecRule ARGS "@rx \\d{2,1}" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: /\{2,1\}: PCRE and RE2 refuse a quantifier whose numbers are out of order/ }] },
  ],
});

describe('dialectDifferences', () => {
  it('reads (?i) scopes, classes and \\Q...\\E', () => {
    expect(dialectDifferences('(?i)[\xe9]')).toHaveLength(1);
    expect(dialectDifferences('(?i)\\Q\xe9\\E')).toHaveLength(1);
    expect(dialectDifferences('(?i)(?-i)\xe9')).toEqual([]);
    expect(dialectDifferences('(a(?i)b)\xe9')).toEqual([]);
    expect(dialectDifferences('\\\\v')).toEqual([]);
  });
});

tester.run(unreachableDisruptive, {
  valid: [
    'SecRule &ARGS "@eq 0" "id:1,phase:2,deny"\n',
    'SecRule ARGS "@noMatch" "id:1,phase:2,pass"\n',
    'SecAction "id:1,phase:5,pass,nolog"\n',
    'SecRule ARGS|!ARGS:a "@rx x" "id:1,phase:2,deny"\n',
  ],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n  SecRule &ARGS "@lt 0" "t:none"\n',
      errors: [{ line: 1, column: 36, message: "'deny' can never take effect: the chained rule on line 2 can never match (a count (&) is never negative, so @lt 0 never holds)" }],
    },
    { code: 'SecRule ARGS "@noMatch" "id:1,phase:2,block"\n', errors: [{ line: 1, column: 39, message: /this rule can never match \(@noMatch never matches\)/ }] },
    { code: 'SecRule !ARGS:a "@rx x" "id:1,phase:2,deny"\n', errors: [{ line: 1, column: 39, message: /every target is an exclusion/ }] },
    { code: 'SecRule ARGS "@rx a" "id:1,phase:5,deny"\n', errors: [{ line: 1, column: 36, message: "'deny' in phase 5 (logging) never takes effect: the response has already been sent" }] },
  ],
});

tester.run(deprecated, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,deny,ctl:auditLogParts=+E"\n', 'SecRule ARGS "@rx a" "id:1,phase:2,deny,setvar:tx.a=1"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,sanitiseArg:password,append:x"\n',
      errors: [
        { line: 1, column: 41, message: /^'sanitiseArg' is ModSecurity v2 only/ },
        { line: 1, column: 62, message: /^'append' is ModSecurity v2 only/ },
      ],
    },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:4,block,ctl:auditLogParts=+E"\n',
      profile: 'crs',
      errors: [{ line: 1, column: 42, severity: 'error', message: /^ctl:auditLogParts is not allowed in CRS rules/ }],
    },
  ],
});

tester.run(argsNamesJsonPrefix, {
  valid: [
    'SecRule ARGS_NAMES "@rx ^(?:json\\.)?username$" "id:1,phase:2,deny"\n',
    'SecRule ARGS_NAMES "@rx ^[^!&]*\\)" "id:1,phase:2,deny"\n',
    // Phase 1 sees no body arguments.
    'SecRule ARGS_NAMES "@rx ^username$" "id:1,phase:1,deny"\n',
    'SecRule ARGS "@rx ^username$" "id:1,phase:2,deny"\n',
  ],
  invalid: [
    { code: 'SecRule ARGS_NAMES "@rx ^\\(\\s*\\)\\s+\\{" "id:1,phase:2,deny"\n', errors: [{ line: 1, column: 21, message: /^ARGS_NAMES with a pattern anchored by '\^'/ }] },
    { code: 'SecRule ARGS_NAMES "@beginsWith user" "id:1,phase:2,deny"\n', errors: [{ line: 1, column: 21, message: /^ARGS_NAMES with @beginsWith/ }] },
  ],
});

describe('missesJsonNames', () => {
  it('looks at what the anchor is followed by', () => {
    expect(missesJsonNames('^username$')).toBe(true);
    expect(missesJsonNames('(?i)^(?:a|b)')).toBe(true);
    expect(missesJsonNames('^(?:json\\.)?username$')).toBe(false);
    expect(missesJsonNames('(?i)^J')).toBe(false);
    expect(missesJsonNames('^.*x')).toBe(false);
    expect(missesJsonNames('^\\w+')).toBe(false);
    expect(missesJsonNames('^\\d+')).toBe(true);
    expect(missesJsonNames('^[^a]')).toBe(false);
    expect(missesJsonNames('^(?:a)?j')).toBe(false);
    expect(missesJsonNames('username')).toBe(false);
  });
});

tester.run(ignoreComment, {
  valid: ['#rampart-lint:ignore:late-t-none\nSecRule ARGS "@rx a" "id:1,phase:2,pass"\n', '#crs-linter:ignore:some_check_we_do_not_have\nSecAction "id:1,phase:1,pass"\n'],
  invalid: [{ code: '# rampart-lint:ignore:late-t-nine\nSecAction "id:1,phase:1,pass"\n', errors: [{ line: 1, column: 1, message: /names 'late-t-nine', which is no check/ }] }],
});

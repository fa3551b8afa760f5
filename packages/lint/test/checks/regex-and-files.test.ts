import { CheckTester } from '../../src/rule-tester';
import { missingDataFile, regexRe2 } from '../../src/checks';

const tester = new CheckTester();

tester.run(regexRe2, {
  valid: [
    'SecRule ARGS "@rx (?i)union[\\s\\x0b]+select" "id:1,phase:2,pass"\n',
    'SecRule ARGS "@rx ^a.b$" "id:1,phase:2,pass"\n',
    // Only known at run time: not compiled.
    'SecRule ARGS "@rx %{tx.pattern}(" "id:1,phase:2,pass"\n',
    'SecRule TX:/^rfi_parameter_/|!ARGS_NAMES:/^[\\w]+\\[[\\w\\-]+\\]$/ "@eq 1" "id:1,phase:2,pass"\n',
    // Not a regex operator.
    'SecRule ARGS "@contains (" "id:1,phase:2,pass"\n',
    // The engine runs it in its backtracking fallback, silently: the input is a three-digit status.
    'SecAuditLogRelevantStatus "^(?:5|4(?!04))"\n',
  ],
  invalid: [
    // The messages are the engine's (engine-load.test.ts checks they are word for word); here, where and how severe.
    {
      code: 'SecRule ARGS "@rx (abc" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 15, severity: 'error', message: /^@rx: .*\(abc/ }],
    },
    {
      code: 'SecRule ARGS "@rx a(?=b)" "id:1,phase:2,pass"\nSecRule ARGS "@rxGlobal (a)\\1" "id:2,phase:2,pass"\n',
      errors: [
        { line: 1, column: 15, severity: 'warning', message: /^rule 1: @rx: .*lookahead/ },
        { line: 2, column: 15, severity: 'warning', message: /^rule 2: @rxGlobal: .*backreference/ },
      ],
    },
    {
      code: 'SecRule ARGS "!@rx [z-a]" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 15, severity: 'error', message: /z-a/ }],
    },
    {
      code: 'SecRule ARGS|TX:/a(/ "@eq 1" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 1, severity: 'error', message: /^regular expression \/.*a\(\/: .*RE2 cannot compile it .*neither can the backtracking engine/ }],
    },
    {
      code: 'SecAuditLogRelevantStatus "^(5"\n',
      errors: [{ line: 1, column: 1, severity: 'error', message: /^audit log: SecAuditLogRelevantStatus: / }],
    },
    {
      code: 'SecRule ARGS "@verifyCC \\d(" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 15, severity: 'error', message: /@verifyCC/ }],
    },
  ],
});

tester.run(missingDataFile, {
  valid: [
    { code: 'SecRule ARGS "@pmFromFile words.data" "id:1,phase:2,pass"\n', existingFiles: ['words.data'] },
    { code: 'SecRule ARGS "@pmf a.data b.data" "id:1,phase:2,pass"\n', existingFiles: ['a.data', '/rules/b.data'] },
    { code: 'SecRule REMOTE_ADDR "@ipMatchFromFile ../ips.txt" "id:1,phase:1,pass"\n', existingFiles: ['/ips.txt'] },
    'SecRule ARGS "@pmFromFile https://example.com/words.data" "id:1,phase:2,pass"\n',
  ],
  invalid: [
    {
      code: 'SecRule ARGS "@pmFromFile words.data" "id:1,phase:2,pass"\n',
      file: '/etc/rampart/rules/a.conf',
      errors: [{ line: 1, column: 15, message: "@pmFromFile: data file 'words.data' not found (looked for /etc/rampart/rules/words.data)" }],
    },
    {
      code: 'SecRule ARGS "@pmf a.data b.data" "id:1,phase:2,pass"\nSecRule REMOTE_ADDR "@ipMatchF ips.txt" "id:2,phase:1,pass"\n',
      existingFiles: ['a.data'],
      errors: [{ line: 1, column: 15, message: /'b\.data'/ }, { line: 2, column: 22, message: /@ipMatchFromFile: data file 'ips\.txt'/ }],
    },
  ],
});

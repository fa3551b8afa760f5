import { CheckTester } from '../../src/rule-tester';
import { actionValue, invalidCtlValue, unknownRuleId, variablePhase } from '../../src/checks';

const tester = new CheckTester();

tester.run(actionValue, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:2,deny,status:403,severity:\'CRITICAL\',msg:\'x\',capture,t:none,allow:phase"\n',
    'SecRule ARGS "@rx a" "id:1,phase:2,pass,severity:2,skip:1,maturity:9,accuracy:8,status:%{tx.status}"\n',
  ],
  invalid: [
    { code: 'SecRule ARGS "@rx a" "id:1,phase:2,deny:403"\n', errors: [{ line: 1, column: 36, message: "'deny' takes no value" }] },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,msg,t"\n',
      errors: [
        { line: 1, column: 41, message: "'msg' needs a value (msg:...)" },
        { line: 1, column: 45, message: "'t' needs a value (t:...)" },
      ],
    },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,severity:5x,status:abc,skip:0,allow:everything"\n',
      errors: [
        { line: 1, column: 41, message: /^severity:5x: expected 0-7 or EMERGENCY/ },
        { line: 1, column: 53, message: 'status:abc: expected an HTTP status code (100-599)' },
        { line: 1, column: 64, message: 'skip:0: expected a positive number of rules' },
        { line: 1, column: 71, message: /^allow:everything: expected/ },
      ],
    },
  ],
});

tester.run(invalidCtlValue, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleEngine=DetectionOnly,ctl:auditEngine=RelevantOnly,ctl:requestBodyProcessor=json"\n',
    'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleRemoveById=1-999999,ctl:ruleRemoveById=920540,ctl:forceRequestBodyVariable=On"\n',
    'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME,ctl:auditLogParts=+E"\n',
    'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleRemoveById=%{tx.id}"\n',
  ],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleEngine=Offf,ctl:requestBodyProcessor=YAML"\n',
      errors: [
        { line: 1, column: 41, message: 'ctl:ruleEngine=Offf: expected On, Off, DetectionOnly' },
        { line: 1, column: 61, message: 'ctl:requestBodyProcessor=YAML: expected URLENCODED, MULTIPART, XML, JSON, RAW' },
      ],
    },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleRemoveById=abc,ctl:requestBodyLimit=1k"\n',
      errors: [{ line: 1, column: 41, message: /id range/ }, { line: 1, column: 64, message: /non-negative integer/ }],
    },
  ],
});

tester.run(unknownRuleId, {
  valid: [
    'SecRule ARGS "@rx a" "id:942100,phase:2,pass"\nSecRuleUpdateTargetById 942100 "!ARGS:foo"\nSecRuleRemoveById 942100 1-999999\n',
    'SecAction "id:900100,phase:1,pass"\nSecRuleUpdateActionById 900100 "pass"\n',
  ],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:942100,phase:2,pass"\nSecRuleUpdateTargetById 942101 "!ARGS:foo"\nSecRuleRemoveById 1 942100 3\n',
      errors: [
        { line: 2, column: 1, message: 'SecRuleUpdateTargetById: no rule with id 942101 in the linted files' },
        { line: 3, column: 1, message: /no rule with id 1 / },
        { line: 3, column: 1, message: /no rule with id 3 / },
      ],
    },
    { code: '\nSecRuleUpdateActionById 5:2 "pass"\n', errors: [{ line: 2, column: 1, severity: 'warning' }] },
  ],
});

tester.run(variablePhase, {
  valid: [
    'SecRule ARGS|REQUEST_HEADERS:Host|TX:x "@rx a" "id:1,phase:1,pass"\n',
    'SecRule RESPONSE_BODY "@rx a" "id:1,phase:4,pass,chain"\n  SecRule RESPONSE_STATUS "@rx 5" "t:none"\n',
    // An exclusion reads nothing.
    'SecRule ARGS|!REQUEST_BODY "@rx a" "id:1,phase:1,pass"\n',
  ],
  invalid: [
    {
      code: 'SecRule REQUEST_BODY|ARGS "@rx a" "id:1,phase:1,pass"\n',
      errors: [{ line: 1, column: 9, message: 'REQUEST_BODY has no data before phase 2 (request body); this rule runs in phase 1' }],
    },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:request,pass,chain"\n  SecRule &RESPONSE_HEADERS:Location "@eq 0" "t:none"\n',
      errors: [{ line: 2, column: 11, message: /RESPONSE_HEADERS has no data before phase 3 \(response headers\); this rule runs in phase 2/ }],
    },
  ],
});

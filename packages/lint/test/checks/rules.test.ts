import { CheckTester } from '../../src/rule-tester';
import {
  chainStarterOnly,
  danglingChain,
  defaultAction,
  disruptiveInChain,
  duplicateId,
  invalidSetting,
  missingId,
  missingPhase,
  selectorNotAllowed,
  skipAfterTarget,
} from '../../src/checks';

const tester = new CheckTester();

tester.run(missingId, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:2,pass"\n',
    'SecAction "id:\'900990\',phase:1,pass,nolog"\n',
    'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n  SecRule ARGS "@rx b" "t:none"\n',
  ],
  invalid: [
    { code: 'SecRule ARGS "@rx a" "phase:2,pass"\n', errors: [{ line: 1, column: 1, message: 'SecRule has no id' }] },
    { code: '\nSecAction "phase:1,pass"\n', errors: [{ line: 2, column: 1, message: 'SecAction has no id' }] },
    { code: 'SecRule ARGS "@rx a" "id:abc,phase:2,pass"\n', errors: [{ line: 1, column: 23, message: /invalid id 'abc'/ }] },
    { code: 'SecRule ARGS "@rx a" "id:0,phase:2,pass"\n', errors: [{ line: 1, column: 23 }] },
  ],
});

tester.run(duplicateId, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,pass"\nSecRule ARGS "@rx a" "id:2,phase:2,pass"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:7,phase:2,pass"\nSecAction "phase:1,pass"\nSecAction "id:7,phase:1,pass"\n',
      errors: [{ line: 3, column: 12, message: 'duplicate id 7, first used at line 1:23' }],
    },
  ],
});

tester.run(missingPhase, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:2,pass"\n',
    'SecRule ARGS "@rx a" "id:1,phase:request,pass"\n',
    'SecRule ARGS "@rx a" "id:1,phase:\'5\',pass,chain"\n  SecRule ARGS "@rx b" "t:none"\n',
  ],
  invalid: [
    {
      code: 'SecDefaultAction "phase:2,log,pass"\nSecRule ARGS "@rx a" "id:1,pass"\n',
      errors: [{ line: 2, column: 1, severity: 'warning', message: /no phase; ModSecurity runs it in phase 2/ }],
    },
    { code: 'SecRule ARGS "@rx a" "id:1,phase:6,pass"\n', errors: [{ line: 1, column: 28, severity: 'error', message: /invalid phase '6'/ }] },
  ],
});

tester.run(disruptiveInChain, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n  SecRule ARGS "@rx b" "setvar:tx.a=1,chain"\n  SecRule ARGS "@rx c" "t:none"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n  SecRule ARGS "@rx b" "chain"\n  SecRule ARGS "@rx c" "t:none,block"\n',
      errors: [{ line: 3, column: 32, message: "disruptive action 'block' in a chained rule: put it on the chain's first rule (line 1)" }],
    },
  ],
});

tester.run(danglingChain, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\nSecRule ARGS "@rx b" "t:none"\n'],
  invalid: [
    { code: 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n', errors: [{ line: 1, column: 41, severity: 'error' }] },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\nSecMarker END\nSecRule ARGS "@rx b" "id:2,phase:2,pass"\n',
      errors: [{ line: 1, column: 41, severity: 'warning', message: /SecMarker on line 2 comes between this rule and the rule that continues its chain \(line 3\)/ }],
    },
  ],
});

tester.run(selectorNotAllowed, {
  valid: ['SecRule ARGS:id|REQUEST_HEADERS:\'User-Agent\'|TX:/^a/|XML:/* "@rx a" "id:1,phase:2,pass"\n', 'SecRule &TX:foo "@eq 0" "id:1,phase:1,pass"\n'],
  invalid: [
    {
      code: 'SecRule ARGS|REQUEST_URI:foo "@rx a" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 14, message: 'REQUEST_URI is not a collection and takes no selector' }],
    },
    { code: 'SecRuleUpdateTargetById 1 "!QUERY_STRING:x"\n', errors: [{ line: 1, column: 28 }] },
  ],
});

tester.run(chainStarterOnly, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,deny,msg:\'x\',tag:\'y\',chain"\n  SecRule ARGS "@rx b" "t:none,setvar:tx.a=1,capture,ctl:ruleEngine=Off"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n  SecRule ARGS "@rx b" "phase:2,msg:\'x\',skipAfter:END,deny"\n',
      errors: [
        { line: 2, column: 25, message: "'phase' in a chained rule: it belongs on the chain's first rule (line 1)" },
        { line: 2, column: 33 },
        { line: 2, column: 41 },
      ],
    },
  ],
});

tester.run(invalidSetting, {
  valid: [
    'SecRuleEngine detectiononly\n',
    'SecRequestBodyLimit 13107200\n',
    'SecAuditLogParts ABIJDEFHZ\n',
    'SecArgumentSeparator &\n',
    'SecUploadFileMode 0640\n',
    'SecAuditLogDirMode default\n',
    'SecComponentSignature "OWASP_CRS/4.28.0"\n',
  ],
  invalid: [
    { code: 'SecRuleEngine Enabled\n', errors: [{ line: 1, column: 1, message: "SecRuleEngine 'Enabled': expected On, Off, DetectionOnly" }] },
    { code: '\nSecRequestBodyLimit 10MB\n', errors: [{ line: 2, column: 1, message: /expected a non-negative integer/ }] },
    { code: 'SecUploadFileMode 999\n', errors: [{ line: 1, column: 1, message: /octal/ }] },
    { code: 'SecArgumentSeparator ;;\n', errors: [{ line: 1, column: 1, message: /single character/ }] },
    { code: 'SecAuditLogParts abc\n', errors: [{ line: 1, column: 1, message: /part letters/ }] },
  ],
});

tester.run(skipAfterTarget, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:2,pass,skipAfter:END"\nSecMarker END\n',
    'SecRule ARGS "@rx a" "id:1,phase:2,pass,skipAfter:%{tx.label}"\n',
    // A rule id is a valid target too.
    'SecRule ARGS "@rx a" "id:1,phase:2,pass,skipAfter:2"\nSecAction "id:2,phase:2,pass"\n',
  ],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,skipAfter:ENDD"\nSecMarker END\n',
      errors: [{ line: 1, column: 41, message: "skipAfter:ENDD: no SecMarker or rule id 'ENDD' in the linted files" }],
    },
    {
      code: 'SecMarker END\nSecRule ARGS "@rx a" "id:1,phase:2,pass,skipAfter:END"\n',
      errors: [{ line: 2, column: 41, message: /the marker comes before this rule/ }],
    },
  ],
});

tester.run(defaultAction, {
  valid: [
    'SecDefaultAction "phase:1,log,auditlog,pass"\nSecDefaultAction "phase:2,log,auditlog,pass"\n',
    // tag and logdata are accepted (CRS's own redirect example uses tag).
    'SecDefaultAction "phase:2,log,auditlog,redirect:\'http://%{request_headers.host}/\',tag:\'Host: %{request_headers.host}\'"\n',
    'SecDefaultAction "phase:2,deny,status:403,t:lowercase"\n',
  ],
  invalid: [
    {
      code: 'SecDefaultAction "log,auditlog,t:none"\n',
      errors: [
        { line: 1, column: 1, message: 'SecDefaultAction needs a phase' },
        { line: 1, column: 1, message: /needs a disruptive action/ },
        { line: 1, column: 32, message: 't:none is not allowed in SecDefaultAction' },
      ],
    },
    { code: 'SecDefaultAction "phase:2,block"\n', errors: [{ line: 1, column: 1, message: /block does not count/ }] },
    {
      code: 'SecDefaultAction "phase:2,deny,id:5,severity:2"\n',
      errors: [{ line: 1, column: 32, message: "'id' is rule metadata: not allowed in SecDefaultAction" }, { line: 1, column: 37 }],
    },
    {
      code: 'SecDefaultAction "phase:2,pass"\nSecDefaultAction "phase:request,deny"\n',
      errors: [{ line: 2, column: 1, severity: 'error', message: 'a second SecDefaultAction for phase 2 (the first is on line 1)' }],
    },
  ],
});

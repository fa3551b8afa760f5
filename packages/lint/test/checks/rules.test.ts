import { CheckTester } from '../../src/rule-tester';
import { danglingChain, disruptiveInChain, duplicateId, missingId, missingPhase, selectorNotAllowed } from '../../src/checks';

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
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,chain"\nSecRule ARGS "@rx b" "phase:2"\n',
      errors: [{ line: 2, column: 23, severity: 'error', message: /phase in a chained rule/ }],
    },
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

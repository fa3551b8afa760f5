import { CheckTester } from '../../src/rule-tester';
import { syntax } from '../../src/checks';

new CheckTester().run(syntax, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:2,pass"\n',
    // Unknown names belong to the unknown-* checks, not to syntax.
    'SecRule ARGZ "@rx a" "id:1,phase:2,pass,nolgo"\n',
  ],
  invalid: [
    { code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass\n', errors: [{ line: 1, column: 22, message: /unterminated/ }] },
    { code: 'SecRuleEngine On Off\n', errors: [{ line: 1, column: 1, message: /SecRuleEngine takes/ }] },
  ],
});

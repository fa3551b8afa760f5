import { CheckTester } from '../../src/rule-tester';
import {
  unknownAction,
  unknownCtlOption,
  unknownDirective,
  unknownOperator,
  unknownTransformation,
  unknownVariable,
} from '../../src/checks';

const tester = new CheckTester();

tester.run(unknownDirective, {
  valid: ['SecRuleEngine On\n', 'secruleengine On\n', 'SecUnicodeMap unicode.mapping 20127\n'],
  invalid: [
    { code: 'SecRuleEngine On\nSecFooBar 1\n', errors: [{ line: 2, column: 1, message: "unknown directive 'SecFooBar'" }] },
  ],
});

tester.run(unknownVariable, {
  valid: [
    'SecRule ARGS|REQUEST_XML|MULTIPART_SEMICOLON_MISSING "@rx a" "id:1,phase:2,pass"\n',
    'SecRuleUpdateTargetById 1 "!ARGS:foo"\n',
  ],
  invalid: [
    {
      code: 'SecRule ARGS|ARGZ "@rx a" "id:1,phase:2,pass"\n',
      errors: [{ line: 1, column: 14, message: "unknown variable 'ARGZ'" }],
    },
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass"\nSecRuleUpdateTargetById 1 "!NOPE:foo"\n',
      errors: [{ line: 2, column: 29 }],
    },
  ],
});

tester.run(unknownOperator, {
  valid: ['SecRule ARGS "@pmf words.data" "id:1,phase:2,pass"\n', 'SecRule ARGS "@ipMatchF ips.txt" "id:1,phase:2,pass"\n'],
  invalid: [
    { code: 'SecRule ARGS "@regex a" "id:1,phase:2,pass"\n', errors: [{ line: 1, column: 15, message: "unknown operator '@regex'" }] },
  ],
});

tester.run(unknownTransformation, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,pass,t:none,t:normalisePath,t:normalizePathWin"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" \\\n  "id:1,phase:2,pass,t:none,t:lowercaze"\n',
      errors: [{ line: 2, column: 31, message: "unknown transformation 'lowercaze'" }],
    },
  ],
});

tester.run(unknownAction, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:2,pass,sanitizeArg:x,sanitiseMatched"\n', 'SecDefaultAction "phase:2,log,pass"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,nolgo"\n',
      errors: [{ line: 1, column: 41, message: "unknown action 'nolgo'" }],
    },
    { code: 'SecDefaultAction "phase:2,lgo,pass"\n', errors: [{ line: 1, column: 27 }] },
  ],
});

tester.run(unknownCtlOption, {
  valid: ['SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleRemoveTargetByTag=xss;REQUEST_FILENAME"\n'],
  invalid: [
    {
      code: 'SecRule ARGS "@rx a" "id:1,phase:1,pass,ctl:ruleEngineX=Off"\n',
      errors: [{ line: 1, column: 45, message: "unknown ctl option 'ruleEngineX'" }],
    },
  ],
});

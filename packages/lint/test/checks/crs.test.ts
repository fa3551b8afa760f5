import * as path from 'node:path';
import { CheckTester } from '../../src/rule-tester';
import {
  crsActionOrder,
  crsApprovedTags,
  crsExplicitOperator,
  crsFormatting,
  crsIdRange,
  crsLowercaseIgnorecase,
  crsNameCase,
  crsNegatedCookies,
  crsParanoiaLevel,
  crsPassNolog,
  crsRequiredTags,
  crsRuleTests,
  crsSetupVersion,
  crsTxUsage,
  crsVersion,
} from '../../src/checks';

const tester = new CheckTester();
const SQLI = '/crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf';

tester.run(crsNameCase, {
  valid: [
    'SecRule REQUEST_URI "@beginsWith /index.php" "id:1,phase:1,deny,t:none,t:urlDecodeUni,t:normalisePath,nolog,ctl:ruleRemoveTargetById=1;ARGS:a"\n',
    'SecRule ARGS "@pmf words.data" "id:1,phase:2,pass,skipAfter:END"\n',
  ],
  invalid: [
    {
      code: 'SecRule REQUEST_URI "@beginswith /index.php" "id:1,phase:1,DENY,t:urldecodeuni,ctl:ruleengine=Off,skipafter:END"\n',
      errors: [
        { line: 1, column: 22, message: "operator '@beginswith' is written '@beginsWith' in CRS" },
        { line: 1, column: 60, message: "action 'DENY' is written 'deny' in CRS" },
        { line: 1, column: 65, message: "transformation 'urldecodeuni' is written 'urlDecodeUni' in CRS" },
        { line: 1, column: 80, message: "ctl option 'ruleengine' is written 'ruleEngine' in CRS" },
        { line: 1, column: 99, message: "action 'skipafter' is written 'skipAfter' in CRS" },
      ],
      output: 'SecRule REQUEST_URI "@beginsWith /index.php" "id:1,phase:1,deny,t:urlDecodeUni,ctl:ruleEngine=Off,skipAfter:END"\n',
    },
  ],
});

tester.run(crsExplicitOperator, {
  valid: ['SecRule REQUEST_URI "@rx index.php" "id:1,phase:1,deny"\n'],
  invalid: [
    {
      code: 'SecRule REQUEST_URI "index\\.php" "id:1,phase:1,deny"\nSecRule REQUEST_URI "!^/$" "id:2,phase:1,deny"\n',
      errors: [
        { line: 1, column: 22, message: /^no operator: this means @rx index\\\.php/ },
        { line: 2, column: 22, message: /^no operator/ },
      ],
      output: 'SecRule REQUEST_URI "@rx index\\.php" "id:1,phase:1,deny"\nSecRule REQUEST_URI "!@rx ^/$" "id:2,phase:1,deny"\n',
    },
  ],
});

tester.run(crsActionOrder, {
  valid: [
    'SecRule ARGS "@rx a" "id:1,phase:2,block,capture,t:none,t:lowercase,msg:\'x\',logdata:\'y\',tag:\'a\',ver:\'OWASP_CRS/4.28.0\',severity:\'CRITICAL\',setvar:tx.a=1,chain"\n  SecRule TX:1 "@rx b" "t:none,setvar:tx.b=1"\n',
  ],
  invalid: [
    {
      code: 'SecRule REQUEST_URI "@beginsWith /index.php" \\\n    "phase:1,\\\n    id:1,\\\n    t:none,\\\n    deny,\\\n    nolog"\n',
      errors: [{ line: 3, column: 5, message: "'id' is written after 'phase': CRS's action order puts it before" }],
      output: 'SecRule REQUEST_URI "@beginsWith /index.php" \\\n    "id:1,\\\n    phase:1,\\\n    deny,\\\n    t:none,\\\n    nolog"\n',
    },
    {
      // Transformations keep their order among themselves.
      code: 'SecRule ARGS "@rx a" "id:1,setvar:tx.a=1,t:none,t:lowercase,phase:2,pass"\n',
      errors: [{ line: 1, column: 42, message: "'t' is written after 'setvar': CRS's action order puts it before" }],
      output: 'SecRule ARGS "@rx a" "id:1,phase:2,pass,t:none,t:lowercase,setvar:tx.a=1"\n',
    },
  ],
});

const WELL_FORMED = `SecRule ARGS "@rx foo" \\
    "id:2,\\
    phase:1,\\
    pass,\\
    t:none,t:lowercase,\\
    nolog,\\
    chain"
    SecRule MATCHED_VARS "@rx bar" \\
        "t:none,\\
        setvar:'tx.a=1'"

# a comment
SecMarker "END"
SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" "id:3,phase:1,pass,nolog,skipAfter:END"
`;

tester.run(crsFormatting, {
  valid: [WELL_FORMED],
  invalid: [
    {
      code: ' SecRule ARGS "@rx foo" \\\n   "id:1,\\\n    phase:1,\\\n    pass,\\\n    nolog"\n',
      errors: [{ line: 1, column: 2, message: "not laid out as CRS writes rules: line 1 should read 'SecRule ARGS \"@rx foo\" \\'" }],
      output: 'SecRule ARGS "@rx foo" \\\n    "id:1,\\\n    phase:1,\\\n    pass,\\\n    nolog"\n',
    },
    {
      code: 'SecRule  ARGS  "@rx foo"  "id:3,phase:1,pass,nolog,chain"\nSecRule TX:1 "@rx x"\t\n   SecMarker END \n',
      errors: [
        { line: 1, column: 1, message: /^not laid out as CRS writes rules: line 1 should read 'SecRule ARGS "@rx foo" "id:3,phase:1/ },
        { line: 2, column: 1, message: "not laid out as CRS writes rules: line 2 should read '    SecRule TX:1 \"@rx x\"'" },
        { line: 3, column: 4, message: 'SecMarker is indented: CRS starts directives at column 1' },
        { line: 3, column: 17, message: 'blanks at the end of the line' },
      ],
      output: 'SecRule ARGS "@rx foo" "id:3,phase:1,pass,nolog,chain"\n    SecRule TX:1 "@rx x"\nSecMarker END\n',
    },
    {
      code: 'SecMarker   "END-X"\nSecRuleUpdateTargetById 942100\t"!ARGS:\'a  b\'"\n',
      errors: [
        { line: 1, column: 1, message: 'SecMarker: one space between the directive and each argument, as CRS writes it' },
        { line: 2, column: 1, message: /^SecRuleUpdateTargetById: one space/ },
      ],
      output: 'SecMarker "END-X"\nSecRuleUpdateTargetById 942100 "!ARGS:\'a  b\'"\n',
    },
  ],
});

tester.run(crsParanoiaLevel, {
  valid: [
    `SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" "id:942011,phase:1,pass,nolog,skipAfter:END"
SecRule ARGS "@rx a" "id:942100,phase:2,block,tag:'paranoia-level/1',severity:'CRITICAL',setvar:'tx.inbound_anomaly_score_pl1=+%{tx.critical_anomaly_score}'"
SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:942013,phase:1,pass,nolog,skipAfter:END"
SecRule ARGS "@rx b" "id:942200,phase:2,block,tag:'paranoia-level/2',severity:'WARNING',setvar:'tx.inbound_anomaly_score_pl2=+%{tx.warning_anomaly_score}'"
SecRule ARGS "@rx c" "id:942201,phase:2,pass,nolog,setvar:tx.x=1"
`,
    // Before the first paranoia level section: nothing to compare with.
    'SecRule ARGS "@rx a" "id:1,phase:2,block,tag:\'paranoia-level/3\'"\n',
  ],
  invalid: [
    {
      code: `SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" "id:920011,phase:1,pass,nolog,skipAfter:END"
SecRule REQUEST_HEADERS:Content-Length "!@rx ^\\d+$" "id:920160,phase:1,block,tag:'paranoia-level/2',severity:'CRITICAL',setvar:'tx.inbound_anomaly_score_pl1=+%{tx.error_anomaly_score}'"
SecRule ARGS "@rx a" "id:920161,phase:1,block,tag:'paranoia-level/1',setvar:'tx.inbound_anomaly_score_pl1=+%{tx.error_anomaly_score}'"
SecRule ARGS "@rx a" "id:920162,phase:1,block,severity:'CRITICAL',setvar:'tx.inbound_anomaly_score_pl2=+%{tx.critical_anomaly_score}'"
SecRule ARGS "@rx a" "id:920163,phase:1,pass,nolog,tag:'paranoia-level/1'"
`,
      errors: [
        { line: 2, column: 78, message: "tag 'paranoia-level/2' in the paranoia level 1 section: write 'paranoia-level/1'" },
        { line: 2, column: 121, message: "adds %{tx.error_anomaly_score} but the rule's severity is CRITICAL: add %{tx.critical_anomaly_score}" },
        { line: 3, column: 70, message: 'adds %{tx.error_anomaly_score} but the rule has no severity' },
        { line: 4, column: 1, message: "rule in the paranoia level 1 section without tag 'paranoia-level/1'" },
        { line: 4, column: 67, message: 'tx.inbound_anomaly_score_pl2 in the paranoia level 1 section: add to inbound_anomaly_score_pl1' },
        { line: 5, column: 52, message: "tag 'paranoia-level/1' on a nolog rule: only rules that log carry a paranoia level tag" },
      ],
    },
  ],
});

tester.run(crsRequiredTags, {
  valid: [
    { code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,block,tag:'OWASP_CRS',tag:'OWASP_CRS/ATTACK-SQLI'\"\n", file: SQLI },
    { code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,pass,nolog,tag:'OWASP_CRS'\"\n", file: SQLI },
    { code: "SecRule TX:x \"@eq 1\" \"id:949110,phase:2,deny,tag:'OWASP_CRS'\"\n", file: '/crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf' },
    // Not a CRS file.
    { code: 'SecRule ARGS "@rx a" "id:1000,phase:2,deny"\n', file: '/etc/rules/site.conf' },
  ],
  invalid: [
    {
      code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,block,tag:'attack-sqli'\"\n",
      file: SQLI,
      errors: [
        { line: 1, column: 1, message: "CRS rule without tag:'OWASP_CRS'" },
        { line: 1, column: 1, message: "CRS rule without its file's tag, tag:'OWASP_CRS/ATTACK-SQLI'" },
      ],
    },
  ],
});

tester.run(crsVersion, {
  valid: [
    { code: 'SecComponentSignature "OWASP_CRS/4.28.0"\nSecRule ARGS "@rx a" "id:942100,phase:2,deny,ver:\'OWASP_CRS/4.28.0\'"\n', file: SQLI },
    { code: 'SecRule ARGS "@rx a" "id:942100,phase:2,deny,ver:\'OWASP_CRS/4.1.0\'"\n', file: SQLI, settings: { crsVersion: '4.1.0' } },
  ],
  invalid: [
    {
      code: 'SecComponentSignature "OWASP_CRS/4.28.0"\nSecRule ARGS "@rx a" "id:942100,phase:2,deny,ver:\'OWASP_CRS/4.27.0\'"\nSecRule ARGS "@rx a" "id:942110,phase:2,deny"\n',
      file: SQLI,
      errors: [
        { line: 2, column: 46, message: /^ver:'OWASP_CRS\/4\.27\.0' but the rule set is OWASP_CRS\/4\.28\.0 \(SecComponentSignature/ },
        { line: 3, column: 1, message: "CRS rule without ver:'OWASP_CRS/4.28.0'" },
      ],
    },
  ],
});

tester.run(crsSetupVersion, {
  valid: [
    { code: 'SecAction "id:900990,phase:1,pass,nolog,setvar:tx.crs_setup_version=4280"\n', file: '/crs/crs-setup.conf', settings: { crsVersion: '4.28.0' } },
    // No version to compare with.
    { code: 'SecAction "id:900990,phase:1,pass,nolog,setvar:tx.crs_setup_version=4100"\n', file: '/crs/crs-setup.conf' },
  ],
  invalid: [
    {
      code: 'SecAction "id:900990,phase:1,pass,nolog,setvar:tx.crs_setup_version=4100"\n',
      file: '/crs/crs-setup.conf',
      settings: { crsVersion: 'OWASP_CRS/4.28.0' },
      errors: [{ line: 1, column: 41, message: /^tx\.crs_setup_version=4100 but the rules are CRS 4\.28\.0, which expects 4280/ }],
    },
  ],
});

tester.run(crsTxUsage, {
  valid: [
    'SecAction "id:1,phase:1,pass,nolog,setvar:tx.limit=5"\nSecRule ARGS_COMBINED_SIZE "@gt %{tx.limit}" "id:2,phase:2,deny"\n',
    // A default for a setting users may set: the read is guarded by a count.
    'SecRule &TX:user_setting "@eq 1" "id:1,phase:1,pass,nolog,chain"\n  SecRule TX:user_setting "@eq 2" "setvar:tx.flag=1"\nSecRule TX:flag "@eq 1" "id:2,phase:2,deny"\n',
    // Settings crs-setup.conf.example ships commented out count as set.
    { code: '#SecAction \\\n#    "id:900100,\\\n#    phase:1,\\\n#    setvar:tx.opt_in=1"\n\nSecRule TX:opt_in "@eq 1" "id:900200,phase:1,deny"\n', file: '/crs/crs-setup.conf.example' },
  ],
  invalid: [
    {
      code: 'SecRule TX:foo "@rx bar" "id:1001,phase:1,pass,nolog"\n',
      errors: [{ line: 1, column: 9, severity: 'error', message: 'TX:foo is read but no rule sets it' }],
    },
    {
      code: 'SecRule TX:later "@eq 1" "id:1,phase:1,deny"\nSecAction "id:2,phase:2,pass,nolog,setvar:tx.later=1"\n',
      errors: [{ line: 1, column: 9, severity: 'error', message: 'TX:later is read before any rule sets it: the first setvar, at line 2, runs later (phase 2)' }],
    },
    {
      code: 'SecRule ARGS "@rx ^.*$" "id:1002,phase:1,pass,nolog,setvar:tx.bar=1"\n',
      errors: [{ line: 1, column: 53, severity: 'warning', message: 'tx.bar is set but no rule reads it' }],
    },
  ],
});

tester.run(crsLowercaseIgnorecase, {
  valid: ['SecRule ARGS "@rx (?i)foo" "id:1,phase:1,pass,t:none"\n', 'SecRule ARGS "@rx foo" "id:1,phase:1,pass,t:lowercase"\n'],
  invalid: [{ code: 'SecRule ARGS "@rx (?i)foo" "id:1,phase:1,pass,t:lowercase,nolog"\n', errors: [{ line: 1, column: 47, message: /^t:lowercase with a \(\?i\) pattern/ }] }],
});

tester.run(crsPassNolog, {
  valid: ['SecRule ARGS "@rx foo" "id:2,phase:2,pass,t:none,nolog"\n', '#crs-linter:ignore:pass_nolog\nSecAction "id:1,phase:5,pass,log"\n'],
  invalid: [{ code: 'SecRule ARGS "@rx foo" "id:1,phase:2,pass,t:none"\n', errors: [{ line: 1, column: 38, message: "'pass' without 'nolog': the rule logs every match it lets through" }] }],
});

tester.run(crsNegatedCookies, {
  valid: ['SecRule REQUEST_COOKIES|ARGS:foo "@rx attack" "id:942100,phase:2,block"\n', 'SecRuleUpdateTargetById 942100 "!REQUEST_COOKIES:session_id"\n'],
  invalid: [{ code: 'SecRule REQUEST_COOKIES|!REQUEST_COOKIES:session_id|ARGS:foo "@rx attack" "id:942100,phase:2,block"\n', errors: [{ line: 1, column: 25, message: /^cookie exclusion in the rule itself/ }] }],
});

tester.run(crsIdRange, {
  valid: [
    { code: 'SecRule ARGS "@rx a" "id:942100,phase:2,deny"\n', file: SQLI },
    { code: 'SecAction "id:900990,phase:1,pass,nolog"\n', file: '/crs/crs-setup.conf.example' },
    { code: 'SecRule ARGS "@rx a" "id:10000,phase:2,deny"\n', file: '/etc/modsecurity/site.conf' },
  ],
  invalid: [
    { code: 'SecRule ARGS "@rx a" "id:941100,phase:2,deny"\n', file: SQLI, errors: [{ line: 1, column: 23, message: 'id 941100 is outside 942000-942999, the ids of this CRS file' }] },
    { code: 'SecRule ARGS "@rx a" "id:942100,phase:2,deny"\n', file: '/etc/modsecurity/site.conf', errors: [{ line: 1, column: 23, severity: 'warning', message: /reserves for its own rules$/ }] },
  ],
});

const tree = path.resolve(__dirname, '../fixtures/crs-tree/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf');
tester.run(crsRuleTests, {
  valid: [
    // 942100 has a test file, 942150 is excluded by the 9421 prefix, 942011 is a paranoia-level control rule.
    { code: 'SecRule ARGS "@rx a" "id:942100,phase:2,deny"\nSecRule ARGS "@rx a" "id:942150,phase:2,deny"\nSecRule TX:x "@lt 1" "id:942011,phase:1,pass"\n', file: tree },
    // No test tree next to the rules: nothing to compare with.
    { code: 'SecRule ARGS "@rx a" "id:942200,phase:2,deny"\n', file: SQLI },
  ],
  invalid: [{ code: 'SecRule ARGS "@rx a" "id:942200,phase:2,deny"\n', file: tree, errors: [{ line: 1, column: 23, message: 'rule 942200 has no go-ftw test (tests/regression/tests/*/942200.yaml)' }] }],
});

tester.run(crsApprovedTags, {
  valid: [
    { code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,block,tag:'OWASP_CRS',tag:'attack-sqli'\"\n", file: tree },
    // No list next to the rules and none given: nothing to compare with.
    { code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,block,tag:'anything'\"\n", file: SQLI },
  ],
  invalid: [
    {
      code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,block,tag:'OWASP_CRS',tag:'atack-sqli'\"\n",
      file: tree,
      errors: [{ line: 1, column: 63, message: "tag 'atack-sqli' is not in util/APPROVED_TAGS: register it there, or check its spelling" }],
    },
    {
      code: "SecRule ARGS \"@rx a\" \"id:942100,phase:2,block,tag:'language-php'\"\n",
      file: SQLI,
      settings: { crsApprovedTags: path.resolve(__dirname, '../fixtures/crs-tree/util/APPROVED_TAGS') },
      errors: [{ line: 1, column: 47, message: /^tag 'language-php' is not in util\/APPROVED_TAGS/ }],
    },
  ],
});

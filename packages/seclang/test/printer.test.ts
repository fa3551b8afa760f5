import { parse, print } from '../src';
import { stripLocations } from './crs-helpers';

function roundTrip(text: string): string {
  const first = parse(text);
  expect(first.diagnostics).toEqual([]);
  const printed = print(first.ast);
  const second = parse(printed);
  expect(second.diagnostics).toEqual([]);
  expect(stripLocations(second.ast)).toEqual(stripLocations(first.ast));
  return printed;
}

describe('printer', () => {
  test('canonical form: one line per directive, chains indented, quotes only where needed', () => {
    const text = `
# a comment that is not kept
SecRule "REQUEST_HEADERS:User-Agent|!REQUEST_HEADERS:'x y'" "@rx ^a\\"b" \\
    "id:1,\\
    phase:1,\\
    msg:'it\\'s, %{tx.0}',\\
    chain"
    SecRule &TX:foo "@eq 0" "t:none"
SecAction "id:2,pass"
SecMarker END
SecRuleEngine On
SecComponentSignature "OWASP CRS"
`;
    expect(roundTrip(text)).toBe(
      [
        `SecRule "REQUEST_HEADERS:User-Agent|!REQUEST_HEADERS:'x y'" "@rx ^a\\"b" "id:1,phase:1,msg:'it\\'s, %{tx.0}',chain"`,
        '    SecRule &TX:foo "@eq 0" t:none',
        'SecAction id:2,pass',
        'SecMarker END',
        'SecRuleEngine On',
        'SecComponentSignature "OWASP CRS"',
        '',
      ].join('\n'),
    );
  });

  test('every directive kind round-trips', () => {
    roundTrip(`
SecDefaultAction "phase:2,log,auditlog,pass"
SecRuleRemoveById 1 2 100-200
SecRuleRemoveByTag "attack-sqli"
SecRuleRemoveByMsg 'a b'
SecRuleUpdateTargetById "1 2-3" "!ARGS:foo|ARGS:/^x|y/" "ARGS"
SecRuleUpdateTargetByTag "t" "XML://@*"
SecRuleUpdateActionById 900100:2 "t:none,setvar:'tx.a=+%{tx.b}'"
SecRule ARGS "!^implicit$" "id:3,ctl:ruleRemoveTargetById=1;ARGS:x|ARGS_NAMES"
SecRule ARGS "@unconditionalMatch" ""
SecAction ""
Include "some dir/*.conf"
`);
  });

  test('print accepts a directive list', () => {
    const { ast } = parse('SecMarker A\nSecMarker B');
    expect(print(ast.directives.slice(1))).toBe('SecMarker B\n');
    expect(print([])).toBe('');
  });
});

import { loadErrors, run, waf } from './helpers';

// Reference manual: "skipAfter: Skips one or more rules (or chains) on a successful match, resuming rule execution
// with the first rule that follows the rule (or marker created by SecMarker) with the provided ID." Only within the
// current phase.
describe('skipAfter', () => {
  test('jumps to the rule after the marker', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,skipAfter:END"\nSecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:1,pass,log"\nSecMarker END\nSecAction "id:4,phase:1,pass,log"`;
    expect(run(cfg).logged).toEqual([4]);
  });

  test('does nothing when the rule does not match', () => {
    const cfg = `SecRule ARGS:a "@streq x" "id:1,phase:1,pass,nolog,skipAfter:END"\nSecAction "id:2,phase:1,pass,log"\nSecMarker END\nSecAction "id:4,phase:1,pass,log"`;
    expect(run(cfg, { uri: '/?a=y' }).logged).toEqual([2, 4]);
  });

  test('only skips in its own phase', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,skipAfter:END"\nSecAction "id:2,phase:2,pass,log"\nSecAction "id:3,phase:1,pass,log"\nSecMarker END\nSecAction "id:4,phase:1,pass,log"`;
    expect(run(cfg).logged).toEqual([4, 2]);
  });

  test('the CRS paranoia-level pattern: rules between the check and the marker are skipped', () => {
    const cfg = `SecAction "id:900000,phase:1,pass,nolog,setvar:tx.detection_paranoia_level=1"\nSecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:911013,phase:2,pass,nolog,skipAfter:END-REQUEST-911-METHOD-ENFORCEMENT"\nSecRule ARGS "@rx ." "id:911100,phase:2,pass,log"\nSecMarker "END-REQUEST-911-METHOD-ENFORCEMENT"\nSecRule ARGS "@rx ." "id:911200,phase:2,pass,log"`;
    expect(run(cfg, { uri: '/?a=1' }).logged).toEqual([911200]);
    expect(run(cfg.replace('detection_paranoia_level=1', 'detection_paranoia_level=2'), { uri: '/?a=1' }).logged).toEqual([911100, 911200]);
  });

  test('an unknown marker skips the rest of the phase and warns at load', () => {
    const cfg = `SecAction "id:1,phase:1,pass,nolog,skipAfter:NOWHERE"\nSecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:2,pass,log"`;
    expect(run(cfg).logged).toEqual([3]);
    expect(waf(cfg).warnings.map((w) => w.message).join('\n')).toMatch(/skipAfter:NOWHERE names no SecMarker/);
  });

  test('a chained rule with skipAfter is a load error', () => {
    expect(loadErrors(`SecRule ARGS "@rx a" "id:1,phase:1,pass,chain"\nSecRule ARGS "@rx b" "skipAfter:X"\nSecMarker X`).join('\n')).toMatch(/only allowed in the first rule of a chain/);
  });

  test('a marker that comes before the rule is never reached: the rest of the phase is skipped', () => {
    const cfg = `SecMarker BACK\nSecAction "id:1,phase:1,pass,nolog,skipAfter:BACK"\nSecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:2,pass,log"`;
    expect(run(cfg).logged).toEqual([3]);
  });
});

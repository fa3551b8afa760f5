import { ConfigLoadError, createWaf } from '../../src';

function loadErrors(directives: string): string[] {
  try {
    createWaf({ directives, onWarning: () => undefined });
  } catch (e) {
    if (e instanceof ConfigLoadError) return e.problems.map((p) => p.message);
    throw e;
  }
  return [];
}

describe('configuration errors are complete and clear', () => {
  test('every problem is reported, each with its location', () => {
    let err: unknown;
    try {
      createWaf({ directives: 'SecRule ARGS "@rx x" "phase:2,pass"\nSecRuleEngine Maybe\nSecRule ARGS "@nope x" "id:3"', onWarning: () => undefined });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigLoadError);
    const problems = (err as ConfigLoadError).problems;
    expect(problems.map((p) => p.loc?.line)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  test('a problem the parser and the compiler both meet is reported once', () => {
    expect(loadErrors('SecRule ARGS "@foo x" "id:1,phase:1,deny"')).toEqual(["unknown operator '@foo' [unknown-operator]"]);
  });

  test('duplicate ids name the first definition', () => {
    expect(loadErrors('SecAction "id:1,phase:1,pass"\nSecAction "id:1,phase:2,pass"').join()).toMatch(/duplicate rule id 1 \(first defined at .*:1\)/);
  });

  test('refused features say why', () => {
    expect(loadErrors('SecAction "id:1,phase:1,pass,exec:/bin/true"').join()).toMatch(/exec.*not supported/);
    expect(loadErrors('SecHashEngine On').join()).toMatch(/SecHashEngine On is not supported/);
    expect(loadErrors('SecAction "id:1,phase:1,pass,ctl:hashEngine=On"').join()).toMatch(/not supported/);
  });

  test('a disruptive action in a chained rule is an error', () => {
    expect(loadErrors('SecRule ARGS "@rx a" "id:1,phase:1,pass,chain"\nSecRule ARGS "@rx b" "deny"').join()).toMatch(/only allowed in the first rule of a chain/);
  });

  test('SecDefaultAction needs a disruptive action', () => {
    expect(loadErrors('SecDefaultAction "log,pass"')).toEqual([]);
    expect(loadErrors('SecDefaultAction "phase:2,log"').join()).toMatch(/needs a disruptive action/);
  });
});

describe('directivesName', () => {
  it('names the directives text in locations (libmodsecurity v3 loads rules under a caller-given name)', () => {
    const { createWaf: make, ConfigLoadError: LoadError } = require('../../src') as typeof import('../../src');
    const lines: string[] = [];
    const waf = make({ directives: 'SecRuleEngine On\nSecAction "id:1,phase:1,pass,log"', directivesName: 'site.conf', baseDir: '/etc/waf', errorLog: (l) => lines.push(l) });
    const tx = waf.newTransaction();
    tx.processUri('/', 'GET', 'HTTP/1.1');
    tx.processRequestHeaders();
    expect(lines[0]).toContain('[file "site.conf"] [line "2"]');
    // Data files named relative to a bare directives name resolve against baseDir.
    const fs = require('node:fs') as typeof import('node:fs');
    const os = require('node:os') as typeof import('node:os');
    const path = require('node:path') as typeof import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-directives-name-'));
    fs.writeFileSync(path.join(dir, 'words.txt'), 'attack\n');
    const pm = make({ directives: 'SecRule ARGS "@pmFromFile words.txt" "id:2,phase:1,pass,log"', directivesName: 'site.conf', baseDir: dir });
    const t2 = pm.newTransaction();
    t2.processUri('/?a=attack', 'GET', 'HTTP/1.1');
    t2.processRequestHeaders();
    expect(t2.matchedRules.map((m) => m.id)).toEqual([2]);
    fs.rmSync(dir, { recursive: true, force: true });
    try {
      make({ directives: 'SecRule', directivesName: 'bad.conf', baseDir: '/etc/waf' });
      throw new Error('loaded');
    } catch (e) {
      expect(e).toBeInstanceOf(LoadError);
      expect((e as Error).message).toContain('bad.conf:1');
    }
  });
});

import { createWaf } from '@rampart/engine';
import { calibrate, IdRangeError, requestFromRaw, proposeExclusions, renderRuleFile, type LoggedMatch, type LoggedTransaction, type ScoreModel } from '../../src';
import { runRequest } from '../helpers';

const model: ScoreModel = { blockingParanoia: 2, inboundThreshold: 5, outboundThreshold: 4 };

function match(ruleId: number, variable: string | undefined, extra: Partial<LoggedMatch> = {}): LoggedMatch {
  return { ruleId, variable, value: 'v', paranoiaLevel: 2, severity: 2, direction: 'inbound', scoring: true, disruptive: false, msg: `rule ${ruleId}`, tags: [], ...extra };
}

let n = 0;
function tx(clientIp: string, path: string, matches: LoggedMatch[], extra: Partial<LoggedTransaction> = {}): LoggedTransaction {
  return { id: `t${n++}`, clientIp, method: 'POST', path, matches, loggedInboundScore: undefined, loggedOutboundScore: undefined, deniedBy: undefined, ...extra };
}

const fromClients = (count: number, make: (client: string) => LoggedTransaction): LoggedTransaction[] => Array.from({ length: count }, (_, i) => make(`10.0.0.${i + 1}`));

describe('proposeExclusions', () => {
  it('proposes a path exclusion for a repeated false positive and counts what it lets through', () => {
    const p = proposeExclusions(fromClients(8, (c) => tx(c, '/form', [match(942200, 'ARGS:comment')])), model);
    expect(p.exclusions).toHaveLength(1);
    expect(p.exclusions[0]).toMatchObject({ ruleId: 942200, target: 'ARGS:comment', scope: { kind: 'path', path: '/form' }, transactions: 8, clients: 8, letThrough: 8, stillBlocked: 0 });
    expect(p.blockedBefore).toBe(8);
    expect(p.blockedAfter).toBe(0);
  });

  it('leaves out what looks like attacks: few clients, one client, libinjection, never blocking', () => {
    const few = fromClients(3, (c) => tx(c, '/a', [match(930120, 'ARGS:file')])).flatMap((t) => [t, { ...t, id: `${t.id}b` }]);
    const one = [...Array.from({ length: 20 }, () => tx('192.0.2.1', '/b', [match(932160, 'ARGS:cmd')])), ...fromClients(6, (c) => tx(c, '/b', [match(932160, 'ARGS:cmd')]))];
    const injected = fromClients(10, (c) => tx(c, '/c', [match(942100, 'ARGS:q', { paranoiaLevel: 1 }), match(942200, 'ARGS:q')]));
    const low = fromClients(10, (c) => tx(c, '/d', [match(920350, 'REQUEST_HEADERS:Host', { severity: 4 })]));
    const p = proposeExclusions([...few, ...one, ...injected, ...low], model);
    expect(p.exclusions).toEqual([]);
    const reasons = Object.fromEntries(p.rare.map((r) => [`${r.ruleId} ${r.path}`, r.reason]));
    expect(reasons).toEqual({
      '930120 /a': 'too few clients',
      '932160 /b': 'one client sent most of them',
      '942100 /c': 'libinjection detects an attack in most of them',
      '942200 /c': 'libinjection detects an attack in most of them',
      '920350 /d': 'never blocked',
    });
  });

  it('pools paths that differ by identifiers, and goes site-wide for a pair seen on many paths', () => {
    const pooled = [1, 2, 3, 4, 5, 6].map((id, i) => tx(`10.1.0.${i}`, `/users/${id}/profile`, [match(932236, 'ARGS_NAMES:json.passwd')]));
    const everywhere = ['/a', '/b', '/c', '/d', '/e'].flatMap((path) => fromClients(5, (c) => tx(c, path, [match(942420, 'REQUEST_COOKIES:prefs')])));
    const p = proposeExclusions([...pooled, ...everywhere], model);
    expect(p.exclusions.map((e) => [e.ruleId, e.scope.kind, e.scope.kind === 'path-pattern' ? e.scope.pattern : undefined])).toEqual([
      [932236, 'path-pattern', '^/users/[0-9]+/profile$'],
      [942420, 'site', undefined],
    ]);
    expect(p.exclusions[1]!.note).toBe('seen on 5 paths');
  });

  it('excludes the whole rule where the log names no variable, or only TX', () => {
    const p = proposeExclusions(fromClients(6, (c) => tx(c, '/x', [match(920273, undefined), match(942130, 'TX:1')])), model);
    expect(p.exclusions.map((e) => [e.ruleId, e.target])).toEqual([
      [920273, undefined],
      [942130, undefined],
    ]);
  });

  it('warns when an exclusion would also let through requests of clients that keep attacking', () => {
    const benign = fromClients(8, (c) => tx(c, '/form', [match(942200, 'ARGS:comment')]));
    const attacker = '198.51.100.9';
    const sneaky = tx(attacker, '/form', [match(942200, 'ARGS:comment')]);
    const loud = tx(attacker, '/search', [match(942100, 'ARGS:q', { paranoiaLevel: 1 })]);
    const p = proposeExclusions([...benign, sneaky, loud], model);
    expect(p.exclusions).toHaveLength(1);
    expect(p.exclusions[0]!.hiddenAttacks).toEqual({ count: 1, ids: [sneaky.id], clients: [attacker] });
    expect(p.attackingClients).toBe(1);
    const text = renderRuleFile(p.exclusions);
    expect(text).toContain('# WARNING: would also let through 1 transactions from clients that sent attacks still blocked with this file');
  });
});

describe('calibrate', () => {
  it('finds the paranoia level and threshold that reproduce the logged totals', () => {
    const txs = [
      tx('a', '/', [match(1, 'ARGS:a', { paranoiaLevel: 1 }), match(2, 'ARGS:a', { paranoiaLevel: 3 })], { loggedInboundScore: 5 }),
      tx('b', '/', [match(1, 'ARGS:a', { paranoiaLevel: 1 }), match(3, 'ARGS:a', { paranoiaLevel: 2 })], { loggedInboundScore: 10 }),
      tx('c', '/', [match(4, 'ARGS:a', { paranoiaLevel: 2, severity: 5 })]),
    ];
    const c = calibrate(txs);
    expect(c.model).toEqual({ blockingParanoia: 2, inboundThreshold: 5, outboundThreshold: 4 });
    expect(c.sources.paranoia).toBe('from 949110 totals');
    expect(c.agreed).toBe(3);
    expect(calibrate(txs, { blockingParanoia: 3 }).model.blockingParanoia).toBe(3);
  });

  it('raises the threshold when the log passed higher scores', () => {
    const txs = [tx('a', '/', [match(1, 'ARGS:a'), match(2, 'ARGS:b')]), tx('b', '/', [match(1, 'ARGS:a'), match(2, 'ARGS:b'), match(3, 'ARGS:c')], { loggedInboundScore: 15 })];
    expect(calibrate(txs).model.inboundThreshold).toBe(11);
  });
});

describe('renderRuleFile', () => {
  const base = proposeExclusions(fromClients(6, (c) => tx(c, '/a b"%{tx.x}', [match(942200, 'ARGS:c'), match(920273, undefined)])), model).exclusions;

  it('writes an unusual path as a literal pattern, a whole-rule removal as ruleRemoveById', () => {
    const text = renderRuleFile(base, { firstId: 5 });
    expect(text).toContain('SecRule REQUEST_FILENAME "@rx ^/a\\x20b\\x22%\\x7btx\\x2ex\\x7d$" \\');
    expect(text).toContain('ctl:ruleRemoveById=920273');
    expect(text).toContain('"id:5,\\');
    // Loaded, the exclusion applies on that very path and nowhere else.
    const waf = createWaf({ directives: `SecRuleEngine On\n${text}\nSecRule ARGS "@rx x" "id:942200,phase:2,deny,status:403"\n`, onWarning: () => undefined });
    const status = (target: string) => runRequest(waf, { ...requestFromRaw(`GET ${target} HTTP/1.1\r\nHost: h\r\n\r\n`) }).interruption?.status;
    expect(status('/a%20b%22%25%7Btx.x%7D?c=x')).toBeUndefined();
    expect(status('/a%20b%22%25%7Btx.y%7D?c=x')).toBe(403);
  });

  it('refuses an id range too small', () => {
    expect(() => renderRuleFile(base, { firstId: 7, lastId: 6 })).toThrow(IdRangeError);
  });

  it('says so when there is nothing to propose', () => {
    expect(renderRuleFile([])).toMatch(/No exclusion to propose/);
  });
});

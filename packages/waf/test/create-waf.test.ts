import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigLoadError, type Interruption, type Transaction } from '@rampart/engine';
import { CrsError, locateCrs } from '@rampart/rules-crs4';
import { buildDirectives, createWaf, type ManagedWaf } from '../src';

const SQLI = "1' UNION SELECT username, password FROM users--";

/** A GET through the request phases; the transaction is left open (call end()). */
function get(waf: ManagedWaf, target: string): { tx: Transaction; it: Interruption | undefined; end: () => void } {
  const tx = waf.newTransaction();
  tx.processConnection('192.0.2.10', 50000, '192.0.2.1', 80);
  tx.processUri(target, 'GET', 'HTTP/1.1');
  tx.addRequestHeader('Host', 'shop.example');
  tx.addRequestHeader('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
  tx.addRequestHeader('Accept', 'text/html');
  const it = tx.processRequestHeaders() ?? tx.processRequestBody();
  return {
    tx,
    it,
    end: () => {
      tx.processLogging();
      waf.transactionEnded(tx);
    },
  };
}

function run(waf: ManagedWaf, target: string): Interruption | undefined {
  const r = get(waf, target);
  r.end();
  return r.it;
}

describe('createWaf with CRS', () => {
  it('builds the configuration in order: engine settings, crs-setup, mode, before, CRS rules, after', () => {
    const crs = locateCrs();
    const text = buildDirectives({ crs: { paranoia: 3 }, mode: 'block', before: '# BEFORE', after: '# AFTER' }, crs);
    const at = (needle: string | RegExp): number => {
      const i = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
      expect(i).toBeGreaterThanOrEqual(0);
      return i;
    };
    const order = [
      at('SecRequestBodyAccess On'),
      at(/setvar:tx\.blocking_paranoia_level=3/),
      at('\nSecRuleEngine On\n# BEFORE'),
      at('REQUEST-901-INITIALIZATION.conf'),
      at('RESPONSE-980-CORRELATION.conf'),
      at('# AFTER'),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(buildDirectives({ mode: 'detect' }, crs)).toContain('\nSecRuleEngine DetectionOnly\n');
    expect(buildDirectives({}, crs)).toContain('\nSecRuleEngine DetectionOnly\n');
    expect(buildDirectives({ mode: 'off' }, crs)).toContain('\nSecRuleEngine Off\n');
  });

  it("blocks with mode 'block'; `before` and `after` take effect where they are placed", async () => {
    const waf = await createWaf({
      crs: { paranoia: 1, download: false },
      mode: 'block',
      errorLog: false,
      before: 'SecRule REQUEST_FILENAME "@beginsWith /trusted/" "id:10,phase:1,pass,nolog,ctl:ruleEngine=Off"',
      after: 'SecRule ARGS:probe "@streq rampart" "id:20,phase:2,deny,status:418"',
    });
    try {
      expect(waf.crs).toMatchObject({ version: '4.28.0', verified: true });
      expect(run(waf, '/search?q=shoes')).toBeUndefined();
      expect(run(waf, `/search?q=${encodeURIComponent(SQLI)}`)).toMatchObject({ status: 403, ruleId: 949110 });
      // A phase-1 ctl: before CRS switches the engine off before any CRS rule ran.
      expect(run(waf, `/trusted/search?q=${encodeURIComponent(SQLI)}`)).toBeUndefined();
      expect(run(waf, '/search?probe=rampart')).toMatchObject({ status: 418, ruleId: 20 });
      expect(waf.activeTransactions).toBe(0);
    } finally {
      waf.close();
    }
  }, 120_000);

  it("only detects by default, at the paranoia level asked for", async () => {
    const lines: string[] = [];
    const waf = await createWaf({ crs: { paranoia: 2, download: false }, errorLog: (line) => lines.push(line) });
    try {
      const r = get(waf, `/search?q=${encodeURIComponent(SQLI)}`);
      expect(r.it).toBeUndefined();
      expect(r.tx.collection('TX')!.first('blocking_paranoia_level')).toBe('2');
      expect(r.tx.matchedRules.map((m) => m.id)).toContain(942100);
      r.end();
      expect(lines.some((l) => l.includes('[id "942100"]'))).toBe(true);
    } finally {
      waf.close();
    }
  }, 120_000);

  it('refuses a bad setup with a clear error', async () => {
    await expect(createWaf({ crs: { dir: '/nonexistent/crs' } })).rejects.toMatchObject({ code: 'CRS_NOT_FOUND' });
    await expect(createWaf({ crs: { dir: '/nonexistent/crs' } })).rejects.toBeInstanceOf(CrsError);
    await expect(createWaf({ crs: { paranoia: 5 as 1 } })).rejects.toThrow(/paranoia must be 1, 2, 3 or 4/);
    const bad = createWaf({ crs: false, after: 'SecRule ARGS "@nosuchop x" "id:1,phase:1,deny"' });
    await expect(bad).rejects.toBeInstanceOf(ConfigLoadError);
    await expect(bad).rejects.toThrow("<after>:1:15: unknown operator '@nosuchop'");
  });
});

describe('createWaf without CRS', () => {
  it('keeps the recommended engine settings (JSON bodies parsed, unparsable bodies refused)', async () => {
    const waf = await createWaf({ crs: false, mode: 'block', errorLog: false, after: 'SecRule ARGS:json.a "@streq x" "id:1,phase:2,deny,status:403"' });
    const post = (body: string): Interruption | undefined => {
      const tx = waf.newTransaction();
      tx.processUri('/', 'POST', 'HTTP/1.1');
      tx.addRequestHeader('Content-Type', 'application/json');
      const it = tx.processRequestHeaders();
      tx.appendRequestBody(body);
      const out = it ?? tx.processRequestBody();
      tx.processLogging();
      waf.transactionEnded(tx);
      return out;
    };
    expect(post('{"a":"y"}')).toBeUndefined();
    expect(post('{"a":"x"}')).toMatchObject({ status: 403, ruleId: 1 });
    expect(post('{"a":')).toMatchObject({ status: 400, ruleId: 200002 });
    waf.close();
  });
});

describe('ManagedWaf.reload', () => {
  let dir: string;
  let rulesFile: string;
  const deny = (value: string): string => `SecRule ARGS:a "@streq ${value}" "id:1,phase:1,deny,status:403"\n`;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-waf-reload-'));
    rulesFile = path.join(dir, 'rules.conf');
    writeFileSync(rulesFile, deny('one'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('swaps the rules for new transactions; running ones finish on the old rules, which are closed after them', async () => {
    const waf = await createWaf({ crs: false, mode: 'block', errorLog: false, after: `Include ${rulesFile}` });
    const first = waf.waf;
    let closed = 0;
    const close = first.close.bind(first);
    first.close = () => {
      closed++;
      close();
    };
    const running = get(waf, '/?a=none');
    writeFileSync(rulesFile, deny('two'));
    await waf.reload();
    expect(waf.waf).not.toBe(first);
    expect(run(waf, '/?a=two')).toMatchObject({ status: 403 });
    expect(run(waf, '/?a=one')).toBeUndefined();
    expect(running.tx.waf).toBe(first);
    expect(waf.activeTransactions).toBe(1);
    expect(closed).toBe(0);
    running.end();
    expect(closed).toBe(1);
    expect(waf.activeTransactions).toBe(0);
    waf.close();
  });

  it('keeps the running rules when the new ones do not load, and shares one reload between callers', async () => {
    const waf = await createWaf({ crs: false, mode: 'block', errorLog: false, after: `Include ${rulesFile}` });
    const before = waf.waf;
    writeFileSync(rulesFile, 'SecRule ARGS:a "@streq two" "id:1,phase:1,deny,nosuchaction"\n');
    await expect(waf.reload()).rejects.toBeInstanceOf(ConfigLoadError);
    expect(waf.waf).toBe(before);
    expect(run(waf, '/?a=one')).toMatchObject({ status: 403 });

    writeFileSync(rulesFile, deny('two'));
    const a = waf.reload();
    const b = waf.reload();
    expect(b).toBe(a);
    await a;
    expect(run(waf, '/?a=two')).toMatchObject({ status: 403 });
    waf.close();
  });

  it('after close(), refuses new transactions and releases the rules when the last one ended', async () => {
    const waf = await createWaf({ crs: false, mode: 'block', errorLog: false, after: `Include ${rulesFile}` });
    const rules = waf.waf;
    let closed = 0;
    const close = rules.close.bind(rules);
    rules.close = () => {
      closed++;
      close();
    };
    const running = get(waf, '/?a=x');
    waf.close();
    expect(() => waf.newTransaction()).toThrow(/after close/);
    expect(closed).toBe(0);
    running.end();
    expect(closed).toBe(1);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf } from '@rampart/engine';
import { main, type CliIo } from '../src';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-explain-cli-'));

async function run(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    cwd: dir,
    ...(stdin !== undefined ? { stdin: () => Promise.resolve(Buffer.from(stdin, 'latin1')) } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const RULES = `SecRuleEngine On
SecAuditEngine RelevantOnly
SecAuditLogFormat JSON
SecAuditLogParts ABCFHZ
SecAuditLog ${path.join(dir, 'audit.json')}
SecRule ARGS "@rx (?i)<script" "id:941100,phase:2,deny,status:403,log,msg:'XSS',tag:'paranoia-level/1',severity:CRITICAL,t:none,t:urlDecodeUni,t:htmlEntityDecode"
SecRule REQUEST_HEADERS:User-Agent "@pm nikto sqlmap" "id:913100,phase:1,pass,log,msg:'Scanner',t:lowercase"
`;

const RAW = 'POST /comment HTTP/1.1\r\nHost: blog\r\nUser-Agent: Nikto\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\ntext=%26lt;SCRIPT%26gt;x=1';

beforeAll(() => {
  fs.writeFileSync(path.join(dir, 'rules.conf'), RULES);
  fs.writeFileSync(path.join(dir, 'request.txt'), RAW, 'latin1');
  // An audit log of the same rules, with one interrupted transaction to find by id.
  const waf = createWaf({ directives: RULES, onWarning: () => undefined });
  const tx = waf.newTransaction({ id: 'tx-explain-1' });
  tx.processConnection('192.0.2.7', 41000, '10.0.0.1', 443);
  tx.processUri('/search?q=%3Cscript%3Ealert(1)', 'GET', 'HTTP/1.1');
  tx.addRequestHeader('Host', 'blog');
  tx.processRequestHeaders();
  tx.processRequestBody();
  tx.processLogging();
  waf.close();
});

describe('rampart explain', () => {
  it('explains a raw request file with -f: the rules that matched, the values, the transformations and the verdict', async () => {
    const r = await run(['explain', '-f', 'rules.conf', 'request.txt']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^POST \/comment HTTP\/1\.1 from 127\.0\.0\.1:50000 to 127\.0\.0\.1:80; 4 headers, body 26 bytes/);
    expect(r.stdout).toContain('Phase 1 (request headers): 1 rules ran, 1 matched');
    expect(r.stdout).toContain('913100  Scanner');
    expect(r.stdout).toContain('REQUEST_HEADERS:User-Agent = "Nikto"');
    expect(r.stdout).toContain('matched "nikto" at 0-4');
    expect(r.stdout).toContain('941100  PL1  CRITICAL  XSS');
    expect(r.stdout).toContain('ARGS:text = "&lt;SCRIPT&gt;x=1"');
    expect(r.stdout).toMatch(/t:htmlEntityDecode +"<SCRIPT>x=1"/);
    expect(r.stdout).toContain('matched "<SCRIPT" at 0-6');
    expect(r.stdout).toContain('Verdict: interrupted, deny with status 403, by rule 941100 in phase 2');
    expect(r.stdout).toContain("Logged rules (the error log's [id]s): 913100, 941100");
    // The configuration's audit log is not written by explain.
    expect(fs.readFileSync(path.join(dir, 'audit.json'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('takes the request from standard input, a curl command line after --, or an audit record by id', async () => {
    const stdin = await run(['explain', '-f', 'rules.conf', '--json', '-'], RAW);
    expect(stdin.code).toBe(0);
    const record = JSON.parse(stdin.stdout);
    expect(record.format).toBe('rampart-explain/1');
    expect(record.verdict.loggedRuleIds).toEqual([913100, 941100]);

    const curl = await run(['explain', '-f', 'rules.conf', '--client', '198.51.100.4:5555', '--', 'curl', '-A', 'sqlmap/1.7', 'https://blog/search?q=%3Cscript%3E']);
    expect(curl.code).toBe(0);
    expect(curl.stdout).toMatch(/^GET \/search\?q=%3Cscript%3E HTTP\/1\.1 from 198\.51\.100\.4:5555/);
    expect(curl.stdout).toContain('ARGS:q = "<script>"');
    expect(curl.stdout).toContain("Logged rules (the error log's [id]s): 913100, 941100");

    const audit = await run(['explain', '-f', 'rules.conf', '--audit-log', 'audit.json', '--id', 'tx-explain-1']);
    expect(audit.stderr).toBe('');
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/^GET \/search\?q=%3Cscript%3Ealert\(1\) HTTP\/1\.1 from 192\.0\.2\.7:41000 to 10\.0\.0\.1:443; 1 headers, body 0 bytes; transaction tx-explain-1/);
    expect(audit.stdout).toContain('Verdict: interrupted, deny with status 403, by rule 941100 in phase 2');
  });

  it('with --all VARIABLE shows the rules that ran on it without matching', async () => {
    fs.writeFileSync(path.join(dir, 'clean.txt'), 'GET /?q=hello HTTP/1.1\r\nHost: blog\r\nUser-Agent: curl/8\r\n\r\n');
    const r = await run(['explain', '-f', 'rules.conf', '--all', 'ARGS:q', 'clean.txt']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/941100  PL1  CRITICAL  XSS\n.*\n {4}ARGS:q\n {6}t:urlDecodeUni +"hello"\n {6}t:htmlEntityDecode +\(unchanged\)\n {6}@rx \(\?i\)<script\n {8}no match/);
    expect(r.stdout).not.toContain('913100');
    expect(r.stdout).toContain('Verdict: passed');
  });

  it('runs the default CRS at the paranoia level asked for', async () => {
    fs.writeFileSync(path.join(dir, 'sqli.txt'), "GET /?id=1'%20OR%20'1'='1 HTTP/1.1\r\nHost: shop\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n\r\n");
    const r = await run(['explain', '--paranoia', '2', 'sqli.txt']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/942\d{3}  PL1  CRITICAL  /);
    expect(r.stdout).toMatch(/TX:inbound_anomaly_score_pl1  "0" -> "5"/);
    expect(r.stdout).toMatch(/Anomaly scores: blocking_inbound_anomaly_score \d+/);
    expect(r.stdout).toMatch(/Verdict: interrupted, deny with status 403, by rule 949110 in phase 2/);
  }, 60_000);

  it('reports bad usage and unusable inputs with exit code 2', async () => {
    expect((await run(['explain', '-f', 'rules.conf'])).stderr).toMatch(/name the request/);
    expect((await run(['explain', '-f', 'rules.conf', '--id', 'x'])).stderr).toMatch(/--audit-log LOG and --id ID go together/);
    const missing = await run(['explain', '-f', 'rules.conf', '--audit-log', 'audit.json', '--id', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('rampart explain: no transaction nope in audit.json\n');
    const bad = await run(['explain', '-f', 'rules.conf', '--client', 'nowhere', 'request.txt']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--client takes IP or IP:PORT/);
    fs.writeFileSync(path.join(dir, 'broken.conf'), 'SecRule ARGS "@nosuchop x" "id:1,phase:1,deny"\n');
    const broken = await run(['explain', '-f', 'broken.conf', 'request.txt']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/the configuration does not load:[\s\S]*nosuchop/);
  });
});

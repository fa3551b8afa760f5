/**
 * `rampart spoa` as a process under the faults an operator meets: the setup guide's reload signal (SIGUSR2),
 * a stop during the rule load, configuration files that are devices or secrets. Each runs the real command as
 * a child process (signals reach a real process, as under systemd).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnRampartSpoa, type AgentProcess } from './helpers/cli-process';
import { CRS_DIR } from './helpers/modsecurity-conf';
import { freePort } from './helpers/net';
import { SpopClient, checkRequest, varsOf } from './helpers/spop-client';

let dir: string;
const running: AgentProcess[] = [];
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'spoa-faults-'))));
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

function spawnAgent(args: string[]): AgentProcess {
  const a = spawnRampartSpoa(args, dir);
  running.push(a);
  return a;
}

const msg = (prefix: string) => (r: Record<string, unknown>) => typeof r.msg === 'string' && r.msg.startsWith(prefix);

describe('rampart spoa faults', () => {
  it('SIGUSR2 reloads the rules like SIGHUP (it used to kill the agent: exit 140)', async () => {
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, 'SecRuleEngine On\nSecRule ARGS "@contains attack" "id:1,phase:2,deny,status:403"\n');
    const port = await freePort();
    const agent = spawnAgent(['-f', conf, '-p', String(port), '-n', '1']);
    await agent.waitFor(msg('ready:'), 30_000, 'the rules to load');
    writeFileSync(conf, 'SecRuleEngine On\nSecRule ARGS "@contains other" "id:2,phase:2,deny,status:418"\n');
    agent.child.kill('SIGUSR2');
    await agent.waitFor(msg('reloaded:'), 30_000, 'the reload');
    expect(agent.child.exitCode).toBeNull();
    const client = await SpopClient.connect(port);
    try {
      await client.hello();
      expect(varsOf(await client.notify([checkRequest({ query: 'a=other' })]))).toMatchObject({ code: 418, ruleid: 2 });
    } finally {
      client.close();
    }
    expect(await agent.stop('SIGTERM')).toBe(0);
  }, 60_000);

  it('SIGTERM during the rule load stops the agent at once (exit 0), without waiting for the compile', async () => {
    // CRS plus a large phrase list: a load of several seconds, far longer than a stop takes.
    const words = Array.from({ length: 200_000 }, (_, i) => `phrase-${i.toString(36)}-${(i * 7919).toString(36)}`).join('\n');
    writeFileSync(path.join(dir, 'big.data'), words);
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, `SecRuleEngine On\nSecRule ARGS "@pmFromFile big.data" "id:1,phase:2,deny"\nInclude ${CRS_DIR}/crs-setup.conf.example\nInclude ${CRS_DIR}/rules/*.conf\n`);
    const agent = spawnAgent(['-f', conf, '-p', '0', '-n', '1']);
    await agent.waitFor(msg('listening'), 30_000, 'the agent to listen');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.records().some(msg('ready:'))).toBe(false);
    expect(agent.records().some((r) => r.msg === 'stopped')).toBe(true);
  }, 60_000);

  it('refuses Include /dev/zero and a data file on /dev/urandom at start, naming the file (exit 2)', async () => {
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, 'SecRuleEngine On\nInclude /dev/zero\nSecRule ARGS "@pmFromFile /dev/urandom" "id:1,phase:2,deny"\n');
    const agent = spawnAgent(['-f', conf, '-p', '0', '-n', '1']);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr()).toContain(`${conf}:2:1: Include: cannot read /dev/zero: a character device, not a regular file`);
    expect(agent.stderr()).toMatch(/rules\.conf:3:\d+: @pmFromFile: cannot read data file '\/dev\/urandom': a character device, not a regular file/);
  }, 60_000);

  it('--max-file-size bounds every file the configuration reads', async () => {
    writeFileSync(path.join(dir, 'list.data'), 'x'.repeat(5000));
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, 'SecRuleEngine On\nSecRule ARGS "@pmFromFile list.data" "id:1,phase:2,deny"\n');
    const agent = spawnAgent(['-f', conf, '-p', '0', '-n', '0', '--max-file-size', '4K']);
    expect(await agent.exited).toBe(2);
    expect(agent.stderr()).toMatch(/list\.data': 5000 bytes, over the limit of 4096 bytes/);
  }, 60_000);

  it('names a wrongly included secret file without printing a byte of it', async () => {
    const secret = path.join(dir, 'shadow');
    writeFileSync(secret, 'root:$6$saltsalt$U0VDUkVUSEFTSA:19000:0:99999:7:::\nadmin:$y$j9T$SECRET2:19000:0:99999:7:::\n');
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, `SecRuleEngine On\nInclude ${secret}\n`);
    const agent = spawnAgent(['-f', conf, '-p', '0', '-n', '0']);
    expect(await agent.exited).toBe(2);
    const output = agent.stdout() + agent.stderr();
    expect(output).toContain(`Include: ${secret} is not a SecLang file`);
    expect(output).not.toMatch(/root:\$|\$6\$saltsalt|U0VDUkVUSEFTSA|SECRET2|admin:/);
  }, 60_000);

  const isRoot = process.getuid?.() === 0;
  const rootOnly = isRoot ? it : it.skip;

  rootOnly('--user/--group drop privileges once it listens, and the rules load as that user', async () => {
    chmodSync(dir, 0o755);
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, 'SecRuleEngine On\nSecRule ARGS "@contains attack" "id:1,phase:2,deny"\n');
    chmodSync(conf, 0o644);
    const port = await freePort();
    const agent = spawnAgent(['-f', conf, '-p', String(port), '-n', '1', '--user', 'nobody', '--group', 'nogroup']);
    await agent.waitFor(msg('ready:'), 30_000, 'the rules to load');
    expect(agent.records().some(msg('privileges dropped to nobody:nogroup'))).toBe(true);
    const status = readFileSync(`/proc/${agent.child.pid}/status`, 'utf8');
    const nobody = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'))!.split(':')[2];
    expect(/^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(status)!.slice(1)).toEqual([nobody, nobody, nobody]);
    const client = await SpopClient.connect(port);
    try {
      await client.hello();
      expect(varsOf(await client.notify([checkRequest({ query: 'a=attack' })]))).toMatchObject({ code: 403 });
    } finally {
      client.close();
    }
  }, 60_000);

  rootOnly('warns when it runs as root without --user', async () => {
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, 'SecRuleEngine On\n');
    const agent = spawnAgent(['-f', conf, '-p', '0', '-n', '0']);
    const warning = await agent.waitFor(msg('running as root'), 30_000, 'the root warning');
    expect(warning.level).toBe(40);
  }, 60_000);

  it('creates the error log, the audit log and the LMDB files 0600, or 0640 with --group-readable', async () => {
    for (const [flag, mode] of [[[], 0o600], [['--group-readable'], 0o640]] as const) {
      const sub = path.join(dir, `m${mode.toString(8)}`);
      mkdirSync(sub);
      const conf = path.join(sub, 'rules.conf');
      // The configuration asks for 0644: the agent's files stay private whatever the rules say.
      writeFileSync(conf, `SecRuleEngine On\nSecAuditEngine On\nSecAuditLogFileMode 0644\nSecAuditLog ${sub}/audit.log\nSecDataDir ${sub}/data\nSecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR},setvar:ip.n=+1"\nSecRule ARGS "@contains attack" "id:2,phase:2,deny,log"\n`);
      const port = await freePort();
      const agent = spawnAgent(['-f', conf, '-p', String(port), '-n', '0', '--error-log', `${sub}/error.log`, ...flag]);
      await agent.waitFor(msg('ready:'), 30_000, 'the rules to load');
      const client = await SpopClient.connect(port);
      try {
        await client.hello();
        expect(varsOf(await client.notify([checkRequest({ query: 'a=attack' })]))).toMatchObject({ code: 403 });
      } finally {
        client.close();
      }
      expect(await agent.stop('SIGTERM')).toBe(0);
      for (const f of ['error.log', 'audit.log', 'data/rampart-collections/data.mdb', 'data/rampart-collections/lock.mdb']) {
        expect([f, statSync(path.join(sub, f)).mode & 0o777]).toEqual([f, mode]);
      }
    }
  }, 90_000);

  it('a corrupt SecDataDir environment stops the agent with what to do; --corrupt-collections reset moves it aside', async () => {
    const env = path.join(dir, 'data', 'rampart-collections');
    mkdirSync(env, { recursive: true });
    writeFileSync(path.join(env, 'data.mdb'), Buffer.alloc(65536, 0x5a));
    const conf = path.join(dir, 'rules.conf');
    writeFileSync(conf, `SecRuleEngine On\nSecDataDir ${dir}/data\nSecAction "id:1,phase:1,pass,nolog,initcol:ip=%{REMOTE_ADDR}"\n`);
    const failed = spawnAgent(['-f', conf, '-p', '0', '-n', '1']);
    expect(await failed.exited).toBe(2);
    expect(failed.stderr()).toContain(`collection store ${env}/data.mdb is corrupt`);
    expect(failed.stderr()).toMatch(/--corrupt-collections reset/);
    const reset = spawnAgent(['-f', conf, '-p', '0', '-n', '1', '--corrupt-collections', 'reset']);
    await reset.waitFor(msg('ready:'), 30_000, 'the rules to load');
    expect(reset.records().some((r) => r.code === 'collections-reset' && /moved aside to .*data\.mdb\.corrupt-/.test(String(r.msg)))).toBe(true);
  }, 90_000);
});

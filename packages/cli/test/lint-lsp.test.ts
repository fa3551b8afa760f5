import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { sourceLoaderPrelude } from '@rampart/spoa';

const CLI_SOURCE = path.resolve(__dirname, '../src/cli.ts');

/** Frames a JSON-RPC message as LSP does. */
function frame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Reads framed messages from a stream. */
function reader(onMessage: (m: any) => void): (chunk: Buffer) => void {
  let buffer = Buffer.alloc(0);
  return (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: ([0-9]+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (buffer.length < end + 4 + length) return;
      onMessage(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')));
      buffer = buffer.subarray(end + 4 + length);
    }
  };
}

it('rampart lint --lsp speaks LSP on stdio: diagnostics on open, a clean exit on exit', async () => {
  const code = `${sourceLoaderPrelude()}
require(${JSON.stringify(CLI_SOURCE)}).main(process.argv.slice(1)).then(
  (c) => { process.exitCode = c; },
  (e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 2; });
`;
  const child = spawn(process.execPath, ['-e', code, '--', 'lint', '--lsp', '--profile', 'crs'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const messages: any[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.on('data', reader((m) => {
    messages.push(m);
    for (const w of waiters.splice(0)) w();
  }));
  const next = async (predicate: (m: any) => boolean): Promise<any> => {
    for (;;) {
      const found = messages.find(predicate);
      if (found !== undefined) return found;
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}): ${stderr}`);
      await new Promise<void>((r) => waiters.push(r));
    }
  };
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (c) => {
      r(c);
      // A server that dies says so at once instead of leaving the test to time out.
      for (const w of waiters.splice(0)) w();
    }),
  );
  try {
    child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    const init = await next((m) => m.id === 1);
    expect(init.result.serverInfo.name).toBe('rampart-lint');
    child.stdin.write(frame({ method: 'initialized', params: {} }));
    const uri = 'file:///tmp/rampart-lsp-test/site.conf';
    child.stdin.write(
      frame({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'seclang', version: 1, text: 'SecRule ARGS "@rx a" "phase:2,id:7,pass,nolog"\n' } } }),
    );
    const published = await next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
    expect(published.params.diagnostics).toEqual([
      expect.objectContaining({ code: 'crs-action-order', severity: 1, message: "'id' is written after 'phase': CRS's action order puts it before", range: { start: { line: 0, character: 30 }, end: { line: 0, character: 34 } } }),
    ]);
    child.stdin.write(frame({ id: 2, method: 'shutdown' }));
    await next((m) => m.id === 2);
    child.stdin.write(frame({ method: 'exit' }));
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}, 120_000);

import { PassThrough } from 'node:stream';
import { startLanguageServer } from '../src';

/**
 * Speaks LSP to the server as an editor does: JSON-RPC messages framed with Content-Length headers, over a
 * pair of streams (the CLI's `rampart lint --lsp` gives it stdin and stdout; cli's test runs that process).
 */
class Client {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  readonly notifications: Array<{ method: string; params: any }> = [];
  private readonly watchers: Array<() => void> = [];

  constructor(
    private readonly toServer: PassThrough,
    fromServer: PassThrough,
  ) {
    fromServer.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: ([0-9]+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1]);
        if (this.buffer.length < end + 4 + length) return;
        const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
        this.buffer = this.buffer.subarray(end + 4 + length);
        if (message.id !== undefined && message.method === undefined) this.waiting.get(message.id)?.(message.result);
        else if (message.method !== undefined) {
          this.notifications.push(message);
          for (const w of this.watchers.splice(0)) w();
        }
      }
    });
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.toServer.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request(method: string, params: object): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: object): void {
    this.send({ method, params });
  }

  /** The next publishDiagnostics for `uri` after `after` notifications. */
  async diagnostics(uri: string, after: number): Promise<any> {
    for (;;) {
      const found = this.notifications.slice(after).find((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
      if (found !== undefined) return found.params;
      await new Promise<void>((r) => this.watchers.push(r));
    }
  }
}

describe('rampart lint --lsp (in process)', () => {
  const toServer = new PassThrough();
  const fromServer = new PassThrough();
  const connection = startLanguageServer({ input: toServer, output: fromServer });
  const client = new Client(toServer, fromServer);
  const uri = 'file:///work/rules/site.conf';
  afterAll(() => connection.dispose());

  it('initializes with its name, version and capabilities', async () => {
    const result = await client.request('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { profile: 'crs' } });
    expect(result.serverInfo.name).toBe('rampart-lint');
    expect(result.capabilities.codeActionProvider.codeActionKinds).toEqual(['quickfix', 'source.fixAll']);
    client.notify('initialized', {});
  });

  it('publishes diagnostics when a document opens, and again when it changes', async () => {
    let seen = client.notifications.length;
    client.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'seclang', version: 1, text: 'SecRule REMOTE_ADDR "@ipMatch 999.1.1.1" "id:1,phase:1,deny"\n' },
    });
    const opened = await client.diagnostics(uri, seen);
    expect(opened.version).toBe(1);
    const engine = opened.diagnostics.find((d: any) => d.code === 'engine-load');
    expect(engine).toMatchObject({
      severity: 1,
      source: 'rampart-lint',
      message: '@ipMatch: "999.1.1.1" is not an IPv4 or IPv6 address or network',
      range: { start: { line: 0, character: 21 } },
    });
    seen = client.notifications.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 30 }, end: { line: 0, character: 39 } }, text: '10.0.0.1' }],
    });
    const changed = await client.diagnostics(uri, seen);
    expect(changed.version).toBe(2);
    expect(changed.diagnostics.map((d: any) => d.code)).not.toContain('engine-load');
  });

  it('offers fixes as quick fixes and as source.fixAll', async () => {
    const seen = client.notifications.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: 'SecRule ARGS "@beginswith a" "phase:2,id:2,deny"\n' }],
    });
    const published = await client.diagnostics(uri, seen);
    expect(published.diagnostics.map((d: any) => d.code)).toEqual(expect.arrayContaining(['crs-name-case', 'crs-action-order']));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 50 } };
    const quick = await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['quickfix'] } });
    const rename = quick.find((a: any) => a.diagnostics[0].code === 'crs-name-case');
    expect(rename.edit.changes[uri]).toEqual([{ range: { start: { line: 0, character: 14 }, end: { line: 0, character: 25 } }, newText: '@beginsWith' }]);
    const all = await client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
    expect(all).toHaveLength(1);
    expect(all[0].edit.changes[uri][0].newText).toBe('SecRule ARGS "@beginsWith a" "id:2,phase:2,deny"\n');
  });

  it('lints a burst of changes once, at its last version, without checks that need the whole rule set', async () => {
    const seen = client.notifications.length;
    for (let v = 4; v <= 6; v++) {
      client.notify('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text: `SecRule TX:set_elsewhere "@eq ${v}" "id:3,phase:2,deny"\n` }],
      });
    }
    const published = await client.diagnostics(uri, seen);
    expect(published.version).toBe(6);
    expect(client.notifications.slice(seen).filter((n) => n.method === 'textDocument/publishDiagnostics')).toHaveLength(1);
    // crs-tx-usage would say TX:set_elsewhere is never set: another file of the rule set may set it.
    expect(published.diagnostics.map((d: any) => d.code)).not.toContain('crs-tx-usage');
  });

  it('clears the diagnostics of a closed document', async () => {
    const seen = client.notifications.length;
    client.notify('textDocument/didClose', { textDocument: { uri } });
    expect((await client.diagnostics(uri, seen)).diagnostics).toEqual([]);
    expect(await client.request('shutdown', {})).toBeNull();
  });
});

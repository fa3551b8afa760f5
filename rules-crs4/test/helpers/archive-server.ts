import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ArchiveServer {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

/** Serves one archive on 127.0.0.1 (ephemeral port); `/redirect` answers 302 to the archive like GitHub does. */
export async function serveArchive(body: Buffer): Promise<ArchiveServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/archive.tar.gz' });
      res.end();
    } else if (req.url === '/archive.tar.gz') {
      res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

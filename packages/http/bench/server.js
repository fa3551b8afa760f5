// One benchmark server: `node server.js <express|fastify> <plain|waf>`; prints "listening <port>" when ready.
'use strict';
const { createWaf } = require('@rampart/waf');
const { expressWaf, fastifyWaf } = require('../dist/index.js');

const [framework, variant] = process.argv.slice(2);

async function main() {
  const waf = variant === 'waf' ? await createWaf({ crs: { paranoia: 1, download: false }, mode: 'block', errorLog: false }) : undefined;
  let server;
  if (framework === 'express') {
    const express = require('express');
    const app = express();
    if (waf) app.use(expressWaf(waf));
    app.get('/hello', (_req, res) => res.send('hello'));
    server = require('node:http').createServer(app);
    await new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, resolve));
  } else if (framework === 'fastify') {
    const app = require('fastify')();
    if (waf) await app.register(fastifyWaf, { waf });
    app.get('/hello', async () => 'hello');
    await app.listen({ port: 0, host: '127.0.0.1' });
    server = app.server;
  } else {
    throw new Error(`unknown framework ${framework}`);
  }
  // The bench asks for the server's CPU time around each run: CPU per request holds up on a busy machine, where
  // requests per second mostly measure the neighbours.
  process.on('message', () => process.send?.(process.cpuUsage()));
  console.log(`listening ${server.address().port}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

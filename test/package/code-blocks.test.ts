// Every JavaScript and TypeScript block in README.md, docs/ and corsica-proxy's README is tested,
// as the comment before it says: `<!-- test: typecheck with=<preamble> -->` type-checks it against the built package and the real frameworks' types; `<!-- test: run ... -->`
// also runs it, and a server it starts is asked a request from an allowed and a refused origin;
// `<!-- test: elsewhere <file> -->` names the test file that runs it. A block without such a
// comment fails this test.

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
  'packages/corsica-proxy/README.md',
].filter((f) => f.endsWith('.md'));

interface Block {
  readonly where: string;
  readonly lang: string;
  readonly code: string;
  readonly mode: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The blocks of a Markdown file, with the test comment on the line before each. */
function blocksOf(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: Block[] = [];
  for (const m of text.matchAll(/(?:<!-- test: ([^\n]*?) -->\n)?```(js|ts)\n([\s\S]*?)```/g)) {
    const [mode = '', ...rest] = (m[1] ?? '').split(/\s+/);
    const params = Object.fromEntries(rest.map((p) => p.split('=') as [string, string]));
    const line = text.slice(0, m.index).split('\n').length + (m[1] ? 1 : 0);
    out.push({ where: `${file}:${line}`, lang: m[2]!, code: m[3]!, mode, params });
  }
  return out;
}

const BLOCKS = DOCS.flatMap(blocksOf);

/** What a block may take as given, by name: the lines a reader's app has before it. */
const PREAMBLES: Readonly<Record<string, string>> = {
  'express-cjs': "const express = require('express');\nconst app = express();",
  express: "import express from 'express';\nconst app = express();",
  fastify: "import Fastify from 'fastify';\nconst fastify = Fastify();\nconst app = fastify;",
  koa: "import Koa from 'koa';\nconst app = new Koa();",
  hono: "import { Hono } from 'hono';\nconst app = new Hono();",
  fetch: "/** @param {Request} _request */\nconst handler = async (_request) => new Response('ok');",
  page: "const apiUrl = 'https://api.example.com/items';",
  lookup:
    "/** @param {unknown} _request @returns {string[]} */\nconst lookUp = (_request) => ['https://app.example.com'];",
  none: '',
};

/** Where the blocks are written: inside the repository, so 'corsica/…' resolves to this package itself. */
let dir: string;

const isCommonJs = (code: string) => /\brequire\(/.test(code) && !/^import /m.test(code);

function fileFor(block: Block, index: number): string {
  const commonJs = isCommonJs(block.code);
  const ext = block.lang === 'ts' ? (commonJs ? 'cts' : 'mts') : commonJs ? 'cjs' : 'mjs';
  return `block-${index}.${ext}`;
}

/** The block after its preambles. */
function source(block: Block): string {
  const names = (block.params.with ?? 'none').split(',');
  for (const name of names) assert.ok(name in PREAMBLES, `${block.where}: no preamble '${name}'`);
  return `${names.map((n) => PREAMBLES[n]).join('\n')}\n${block.code}`;
}

before(() => {
  dir = mkdtempSync(join(ROOT, '.docs-check-'));
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('every code block of README.md and docs/', () => {
  it('says how it is tested', () => {
    const untested = BLOCKS.filter((b) => !['typecheck', 'run', 'elsewhere'].includes(b.mode));
    assert.deepEqual(
      untested.map((b) => b.where),
      [],
    );
    for (const b of BLOCKS.filter((x) => x.mode === 'elsewhere')) {
      const file = Object.keys(b.params)[0] ?? '';
      assert.ok(existsSync(join(ROOT, file)), `${b.where}: ${file} does not exist`);
      const doc = b.where.split(':')[0]!;
      assert.match(
        readFileSync(join(ROOT, file), 'utf8'),
        new RegExp(doc.replace('.', '\\.')),
        `${file} reads ${doc}`,
      );
    }
  });

  it('type-checks against the built package and the real frameworks', async () => {
    const checked = BLOCKS.map((b, i) => ({ b, i })).filter(({ b }) => b.mode !== 'elsewhere');
    for (const { b, i } of checked) writeFileSync(join(dir, fileFor(b, i)), source(b));
    // TypeScript blocks under `strict`; JavaScript ones too, but without noImplicitAny: a reader's
    // JavaScript has no parameter types to write. Wrong names and wrong option types fail both.
    const problems: string[] = [];
    for (const lang of ['ts', 'js']) {
      const files = checked.filter(({ b }) => b.lang === lang).map(({ b, i }) => fileFor(b, i));
      if (files.length === 0) continue;
      const config = join(dir, `tsconfig.${lang}.json`);
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noImplicitAny: lang === 'ts',
            noEmit: true,
            allowJs: true,
            checkJs: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            lib: ['es2022', 'dom'],
            types: ['node'],
            skipLibCheck: true,
          },
          files,
        }),
      );
      const result = await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-p', config]).catch(
        (err: { stdout: string }) => err,
      );
      problems.push(result.stdout);
    }
    // Name each problem by the block it is in, not by the generated file.
    const named = problems
      .join('')
      .replace(/[^\s]*block-(\d+)\.\w+\((\d+),\d+\)/g, (_, i: string, line: string) => {
        const b = BLOCKS[Number(i)]!;
        const preambleLines = source(b).split(b.code)[0]!.split('\n').length - 1;
        const [doc, start] = b.where.split(':');
        return `${doc}:${Number(start) + Number(line) - 1 - preambleLines}`;
      });
    assert.equal(named, '');
  });
});

/** Starts a block that listens, with its port moved to a free one; resolves to that port. */
async function started(block: Block, index: number): Promise<{ port: number; stop: () => void }> {
  const name = fileFor(block, index);
  writeFileSync(join(dir, name), source(block));
  const preload = join(dir, 'free-port.cjs');
  // The documented port (3000, 8080) may be taken here: listen on a free one and say which.
  writeFileSync(
    preload,
    `const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') args[0] = 0;
  else if (args[0] && typeof args[0] === 'object' && 'port' in args[0]) args[0] = { ...args[0], port: 0 };
  this.once('listening', () => process.stdout.write('PORT ' + this.address().port + '\\n'));
  return listen.apply(this, args);
};`,
  );
  const child = spawn(process.execPath, ['--require', preload, name], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err += c;
  });
  const timer = setTimeout(() => child.kill(), 15_000);
  try {
    let out = '';
    for await (const chunk of child.stdout) {
      out += chunk;
      const m = /PORT (\d+)/.exec(out);
      if (m) return { port: Number(m[1]), stop: () => child.kill() };
    }
    throw new Error(`${block.where} never listened: ${err}`);
  } finally {
    clearTimeout(timer);
  }
}

describe('the code blocks that run', () => {
  for (const [index, block] of BLOCKS.entries()) {
    if (block.mode !== 'run') continue;
    it(`${block.where} runs${block.params.path ? ` and answers CORS on ${block.params.path}` : ''}`, async () => {
      if (!block.params.path) {
        writeFileSync(join(dir, fileFor(block, index)), source(block));
        const child = spawn(process.execPath, [fileFor(block, index)], { cwd: dir, stdio: 'inherit' });
        const [code] = (await once(child, 'exit')) as [number];
        assert.equal(code, 0, `${block.where} exited with ${code}`);
        return;
      }
      const { port, stop } = await started(block, index);
      try {
        const origin = block.params.origin ?? 'https://app.example.com';
        const allowed = await fetch(`http://127.0.0.1:${port}${block.params.path}`, { headers: { origin } });
        assert.equal(allowed.headers.get('access-control-allow-origin'), origin);
        const refused = await fetch(`http://127.0.0.1:${port}${block.params.path}`, {
          headers: { origin: 'https://evil.example' },
        });
        assert.equal(refused.headers.get('access-control-allow-origin'), null);
        const preflight = await fetch(`http://127.0.0.1:${port}${block.params.path}`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'PUT' },
        });
        assert.ok(preflight.status === 204 || preflight.status === 200, `preflight ${preflight.status}`);
        assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
      } finally {
        stop();
      }
    });
  }
});

// scripts/static-server.mjs under hostile requests. Any web page the admin visits can make the
// browser send requests to the local server, so it must answer every one without exiting and
// serve nothing outside its root. Requests go over a raw socket, so that no client normalises the
// URL on the way. The server runs as its own process (started here, stopped by its handle), over a
// temporary root `<tmp>/web` beside a sibling folder `<tmp>/web-secret` whose name starts with
// the root's.
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, promises as fsp } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyFromHtml, startServer } from '../../scripts/static-server.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const serverScript = join(repoRoot, 'scripts', 'static-server.mjs');

const POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";
const SECRET = `relaycheck-secret-${process.pid}-${Date.now()}`;

const scratch = mkdtempSync(join(tmpdir(), 'relaycheck-serve-'));
const root = join(scratch, 'web');
const secretDir = `${root}-secret`;
let child;
let port;
let childErrors = '';

before(async () => {
  mkdirSync(join(root, 'js'), { recursive: true });
  mkdirSync(join(root, 'empty'));
  mkdirSync(secretDir);
  // The policy is written with an entity, as an HTML editor may write it.
  writeFileSync(join(root, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="${POLICY.replaceAll("'", '&#39;')}">\n</head><body>page</body></html>\n`);
  writeFileSync(join(root, 'js', 'app.mjs'), 'export const app = 1;\n');
  writeFileSync(join(root, 'js', 'worker.js'), 'self.onmessage = () => {};\n');
  writeFileSync(join(root, 'relaycheck.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  writeFileSync(join(root, 'style.css'), 'body { margin: 0 }\n');
  writeFileSync(join(root, '.env'), `${SECRET}\n`);
  writeFileSync(join(secretDir, 'x'), `${SECRET}\n`);
  writeFileSync(join(secretDir, 'index.html'), `${SECRET}\n`);
  symlinkSync(join(secretDir, 'x'), join(root, 'out-file'));
  symlinkSync('../web-secret', join(root, 'out-dir'));
  symlinkSync('js/app.mjs', join(root, 'in-link.mjs'));

  child = spawn(process.execPath, [serverScript, root, '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => { childErrors += text; });
  child.stdout.setEncoding('utf8');
  let out = '';
  port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}${childErrors}`)), 4000);
    child.stdout.on('data', (text) => {
      out += text;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) { clearTimeout(timer); resolvePort(Number(m[1])); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${childErrors}`)); });
  });
});

after(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** Sends `bytes` as they are to 127.0.0.1:`to` and reads until the server closes: the status,
 *  the headers (lower-case names) and the body. */
function raw(bytes, to = port) {
  return new Promise((resolveAnswer, reject) => {
    const chunks = [];
    const socket = connect({ host: '127.0.0.1', port: to });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer to ${JSON.stringify(String(bytes).slice(0, 80))}`)); }, 3000);
    const finish = () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split === -1 ? all.length : split).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(head[0] ?? '')?.[1] ?? 0);
      const headers = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolveAnswer({ status, headers, body: split === -1 ? '' : all.subarray(split + 4).toString('latin1'), all: all.toString('latin1') });
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', finish);
    // The server may close while a long request is still being written: keep what it answered.
    socket.on('error', () => { socket.destroy(); finish(); });
    socket.write(bytes);
  });
}

/** A request for `target` with `method`, closing the connection after the answer. */
function request(target, method = 'GET', extra = '') {
  return raw(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);
}

/** The answer has `status`, the page's security headers, and none of the secret's bytes. */
function expect(answer, status, what) {
  assert.equal(answer.status, status, `${what}: ${answer.all.slice(0, 200)}`);
  assert.equal(answer.headers['content-security-policy'], POLICY, `${what}: Content-Security-Policy`);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(answer.headers['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.ok(!answer.all.includes(SECRET), `${what}: the secret was served`);
}

/** The server process is alive and still serves the page. */
async function stillServing() {
  assert.equal(child.exitCode, null, `the server exited: ${childErrors}`);
  expect(await request('/'), 200, 'GET / afterwards');
}

test('the page is served with the content types browsers insist on and the security headers', async () => {
  const cases = [
    ['/', 'text/html; charset=utf-8', 'page'],
    ['/index.html?from=test', 'text/html; charset=utf-8', 'page'],
    ['/js/app.mjs', 'text/javascript; charset=utf-8', 'export const app'],
    ['/js/worker.js', 'text/javascript; charset=utf-8', 'onmessage'],
    ['/style.css', 'text/css; charset=utf-8', 'margin'],
    ['/relaycheck.wasm', 'application/wasm', '\0asm'],
    ['/%73tyle.css', 'text/css; charset=utf-8', 'margin'],
  ];
  for (const [target, type, content] of cases) {
    const answer = await request(target);
    expect(answer, 200, target);
    assert.equal(answer.headers['content-type'], type, target);
    assert.ok(answer.body.includes(content), `${target}: ${answer.body.slice(0, 80)}`);
  }
});

test('the Content-Security-Policy header is the one in the page\'s meta tag', async () => {
  const answer = await request('/');
  assert.equal(answer.headers['content-security-policy'], policyFromHtml(readFileSync(join(root, 'index.html'), 'utf8')));
  assert.ok(answer.body.includes('http-equiv="Content-Security-Policy"'));
});

test('HEAD answers with the headers and the length, and no body', async () => {
  const answer = await request('/js/app.mjs', 'HEAD');
  expect(answer, 200, 'HEAD');
  assert.equal(answer.headers['content-length'], String('export const app = 1;\n'.length));
  assert.equal(answer.body, '');
});

test('malformed percent escapes are 400 and the server keeps running', async () => {
  for (const target of ['/%E0%A4%A', '/%zz', '/%', '/js/%C0%AF', '/%ED%A0%80', '/index.html%']) {
    expect(await request(target), 400, target);
  }
  await stillServing();
});

test('a sibling folder whose name starts with the root\'s is out of reach', async () => {
  for (const target of ['/..%2fweb-secret/x', '/..%2Fweb-secret/x', '/..%5cweb-secret%5cx', '/%2e%2e%2fweb-secret%2fx',
    '/..%252fweb-secret/x', '/%2e%2e/web-secret/x']) {
    const answer = await request(target);
    assert.ok([400, 404].includes(answer.status), `${target}: ${answer.status}`);
    expect(answer, answer.status, target);
  }
  await stillServing();
});

test('dot segments are 400 whether plain or percent-encoded', async () => {
  for (const target of ['/../', '/%2e%2e/', '/%2E%2E/', '/./index.html', '/%2e/index.html', '/js/../index.html', '/js/..', '/../web-secret/x',
    '/js/%2e%2e/index.html']) {
    expect(await request(target), 400, target);
  }
  await stillServing();
});

test('empty segments, backslashes and encoded separators are 400', async () => {
  for (const target of ['//etc/passwd', '//', '/js//app.mjs', '/js\\app.mjs', '/..\\web-secret\\x', '/js%2fapp.mjs', '/js%5capp.mjs',
    '/%00', '/index.html%00.css']) {
    expect(await request(target), 400, target);
  }
  await stillServing();
});

test('a request target that is not a path is 400', async () => {
  for (const target of ['http://127.0.0.1/index.html', 'index.html', '*']) {
    const answer = await request(target);
    expect(answer, 400, target);
  }
  await stillServing();
});

test('symlinks leading out of the root are not followed; one inside the root is', async () => {
  expect(await request('/out-file'), 404, '/out-file');
  expect(await request('/out-dir/x'), 404, '/out-dir/x');
  expect(await request('/out-dir/'), 404, '/out-dir/');
  const inside = await request('/in-link.mjs');
  expect(inside, 200, '/in-link.mjs');
  assert.equal(inside.headers['content-type'], 'text/javascript; charset=utf-8');
});

test('folders are never listed and hidden files are never served', async () => {
  for (const target of ['/empty/', '/empty', '/js/', '/js', '/.env', '/js/.%2e']) {
    const answer = await request(target);
    assert.ok([400, 404].includes(answer.status), `${target}: ${answer.status}`);
    expect(answer, answer.status, target);
    assert.ok(!answer.body.includes('app.mjs'), `${target} listed a folder`);
  }
  expect(await request('/missing.js'), 404, '/missing.js');
});

test('only GET and HEAD are answered: other methods are 405 with Allow', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE']) {
    const answer = await raw(`${method} /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`);
    expect(answer, 405, method);
    assert.equal(answer.headers.allow, 'GET, HEAD', method);
  }
  expect(await raw('CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n'), 405, 'CONNECT');
  await stillServing();
});

test('a 100 KB URL, a NUL byte and garbage are refused, and the server keeps running', async () => {
  expect(await request(`/${'a'.repeat(100_000)}`), 431, '100 KB URL');
  expect(await raw('GET /index.html\0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400, 'NUL byte');
  expect(await raw('GET /\0../web-secret/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'), 400, 'NUL byte before a dot segment');
  expect(await raw('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n'), 400, 'a TLS hello');
  expect(await raw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: \x01\r\n\r\n'), 400, 'a control byte in a header');
  expect(await raw('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), 400, 'an HTTP/2 preface');
  expect(await request('/', 'GET', 'Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n'), 200,
    'a WebSocket upgrade (answered as a plain GET)');
  await stillServing();
});

test('the server listens on 127.0.0.1 only unless told otherwise', async () => {
  const { server, url } = await startServer(root);
  try {
    assert.equal(server.address().address, '127.0.0.1');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  } finally {
    server.close();
  }
});

test('an exception inside the request handler is a 500 for that request, never an exit', async () => {
  const { server } = await startServer(root);
  const logged = mock.method(console, 'error', () => {});
  try {
    const inProcess = server.address().port;
    const open = mock.method(fsp, 'open', async () => { throw Object.assign(new Error('injected failure'), { code: 'EIO' }); });
    const failed = await raw('GET /js/app.mjs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', inProcess);
    open.mock.restore();
    expect(failed, 500, 'injected failure');
    assert.ok(!failed.body.includes('injected failure'), 'the error\'s text reached the client');
    assert.equal(logged.mock.callCount(), 1);
    const next = await raw('GET /js/app.mjs HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', inProcess);
    expect(next, 200, 'the next request');
  } finally {
    logged.mock.restore();
    server.close();
  }
});

test('the policy is read from the page\'s meta tags, entities decoded, and a page without one has none', () => {
  assert.equal(policyFromHtml('<meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;">'), "default-src 'self'");
  assert.equal(policyFromHtml("<META HTTP-EQUIV='content-security-policy' CONTENT=\"img-src 'none'\">"), "img-src 'none'");
  assert.equal(policyFromHtml('<meta http-equiv="Content-Security-Policy" content="a-src \'none\'"><meta http-equiv="Content-Security-Policy" content="b-src \'none\'">'),
    "a-src 'none', b-src 'none'");
  assert.equal(policyFromHtml('<meta name="viewport" content="width=device-width">'), null);
  assert.throws(() => policyFromHtml('<meta http-equiv="Content-Security-Policy" content="default-src &#10;\u00e9">'));
  // The real page has a policy, so build/web is always served with it.
  assert.match(policyFromHtml(readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8')) ?? '', /default-src/);
});

test('a root without index.html is served with web/index.html\'s policy', async () => {
  const bare = join(scratch, 'bare');
  mkdirSync(bare);
  const { server, policy } = await startServer(bare);
  try {
    assert.equal(policy, policyFromHtml(readFileSync(join(repoRoot, 'web', 'index.html'), 'utf8')));
    const answer = await raw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', server.address().port);
    assert.equal(answer.status, 404);
    assert.equal(answer.headers['content-security-policy'], policy);
  } finally {
    server.close();
  }
});

test('the command refuses a port that is not a number with exit 2', async () => {
  const bad = spawn(process.execPath, [serverScript, root, '80x'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const [code] = await once(bad, 'exit');
  assert.equal(code, 2);
});

test('after every hostile request the server process is still running and never wrote a stack trace', async () => {
  await stillServing();
  assert.equal(childErrors, '');
});

// A small static file server for build/web, bound to loopback: used by scripts/serve and by the
// browser tests. It serves the module with the MIME types browsers insist on (.mjs, .wasm).
//
//   node scripts/static-server.mjs ROOT [PORT] [HOST]     (PORT 8080, 0 = any free; HOST 127.0.0.1)
//
// Any web page the admin visits can make the browser send requests here, so the server treats
// every request as hostile: it answers only GET and HEAD, serves only regular files whose real
// path (symlinks resolved) lies inside the root, refuses encoded separators, dot segments, empty
// segments and malformed percent escapes with 400, never lists a folder, and answers an
// exception inside a request with 500 rather than exiting. Every answer, errors included, carries
// the page's Content-Security-Policy (read once at start-up from the served index.html's meta
// tag, else web/index.html's, so the policy has one home), nosniff and no-referrer.
import { createServer } from 'node:http';
import { promises as fsp, constants as fsConstants, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
};

const STATUS_TEXT = {
  400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

const pageIndex = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'index.html');

/** The policy of the page's `<meta http-equiv="Content-Security-Policy">` tags in `html` (several
 *  tags are several policies, which a header lists with commas), or null when there is none. */
export function policyFromHtml(html) {
  const policies = [];
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = {};
    for (const m of tag.matchAll(/([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g)) {
      attributes[m[1].toLowerCase()] ??= m[2] ?? m[3] ?? m[4];
    }
    if (attributes['http-equiv']?.trim().toLowerCase() !== 'content-security-policy') continue;
    const policy = decodeEntities(attributes.content ?? '').replace(/\s+/g, ' ').trim();
    if (policy !== '') policies.push(policy);
  }
  if (policies.length === 0) return null;
  const header = policies.join(', ');
  // A header value must be visible ASCII and spaces: anything else is a broken page, not a policy.
  if (!/^[\x20-\x7e]+$/.test(header)) throw new Error('the Content-Security-Policy meta tag holds characters a header cannot carry');
  return header;
}

function decodeEntities(text) {
  const named = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };
  return text.replace(/&(?:#x([0-9a-f]{1,6})|#([0-9]{1,7})|([a-z]+));/gi, (whole, hex, dec, name) => {
    if (name !== undefined) return named[name.toLowerCase()] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function readPolicy(base) {
  for (const file of [join(base, 'index.html'), pageIndex]) {
    let html;
    try { html = readFileSync(file, 'utf8'); } catch { continue; }
    const policy = policyFromHtml(html);
    if (policy !== null) return policy;
  }
  throw new Error(`no Content-Security-Policy meta tag in ${join(base, 'index.html')} or ${pageIndex}`);
}

/** Why a request target cannot name a file: null, or [status, reason]. Otherwise the decoded
 *  segments below the root, and whether it named a folder (trailing slash). */
function parseTarget(target) {
  // Origin-form only ("/path?query"): no absolute-form, no "*", no raw backslash or control byte.
  if (typeof target !== 'string' || !target.startsWith('/')) return { error: [400, 'bad request target'] };
  const query = target.indexOf('?');
  const rawPath = query === -1 ? target : target.slice(0, query);
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\\\x00-\x20\x7f]/.test(rawPath)) return { error: [400, 'bad character in path'] };
  const raw = rawPath.slice(1).split('/');
  const folder = raw[raw.length - 1] === '';
  if (folder) raw.pop();
  const segments = [];
  for (const part of raw) {
    if (part === '') return { error: [400, 'empty path segment'] };
    let segment;
    try { segment = decodeURIComponent(part); } catch { return { error: [400, 'malformed percent escape'] }; }
    if (segment === '.' || segment === '..') return { error: [400, 'dot segment in path'] };
    // Each segment is decoded on its own, so an encoded separator (%2f, %5c) or NUL stays inside
    // its segment and is refused here rather than becoming a path step.
    // eslint-disable-next-line no-control-regex -- control characters are what it looks for
    if (/[/\\\x00-\x1f\x7f]/.test(segment)) return { error: [400, 'encoded separator or control character'] };
    // Hidden files (.git, .env ...) are never part of the page.
    if (segment.startsWith('.')) return { error: [404, 'not found'] };
    segments.push(segment);
  }
  return { segments, folder };
}

/** The Content-Type of a file, by the name it was asked for. */
function typeOf(file) {
  const extension = extname(file).toLowerCase();
  return Object.hasOwn(TYPES, extension) ? TYPES[extension] : 'application/octet-stream';
}

/** The real path of the file a request names (and its type by that name), or null when it is
 *  missing or (through a symlink or otherwise) outside `base`. */
async function locate(base, segments, folder) {
  const inside = base.endsWith(sep) ? base : base + sep;
  const wanted = resolve(base, ...segments, ...(folder ? ['index.html'] : []));
  if (!wanted.startsWith(inside)) return null;
  let real;
  try { real = await fsp.realpath(wanted); } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'ELOOP' || error.code === 'ENAMETOOLONG') return null;
    throw error;
  }
  if (!real.startsWith(inside)) return null;
  return { real, type: typeOf(wanted) };
}

/** Serves `root` on `host`:`port` (0 = any free port; host 127.0.0.1 unless told otherwise);
 *  resolves to the server, its URL and the Content-Security-Policy it sends. */
export async function startServer(root, port = 0, { host = '127.0.0.1' } = {}) {
  const base = realpathSync(resolve(root));
  if (!statSync(base).isDirectory()) throw new Error(`${root} is not a folder`);
  const policy = readPolicy(base);
  const securityHeaders = {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };

  function fail(response, status, reason, extra = {}) {
    const body = `${reason}\n`;
    response.writeHead(status, {
      ...securityHeaders,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      ...extra,
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  }

  /** A whole error answer as bytes, for the sockets that have no response object. */
  function rawAnswer(status, reason, extra = []) {
    const body = `${reason}\n`;
    return [`HTTP/1.1 ${status} ${STATUS_TEXT[status]}`,
      ...Object.entries(securityHeaders).map(([k, v]) => `${k}: ${v}`),
      'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Cache-Control: no-store',
      ...extra, 'Connection: close', '', body].join('\r\n');
  }

  async function handle(request, response) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      fail(response, 405, 'only GET and HEAD', { Allow: 'GET, HEAD' });
      return;
    }
    const target = parseTarget(request.url);
    if (target.error) {
      fail(response, ...target.error);
      return;
    }
    const found = await locate(base, target.segments, target.folder);
    if (found === null) {
      fail(response, 404, 'not found');
      return;
    }
    // Opened without blocking (a FIFO would hang open()), then checked to be a regular file:
    // folders are never listed, devices and pipes never read.
    let handle;
    try {
      handle = await fsp.open(found.real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOFOLLOW);
    } catch (error) {
      if (error.code === 'ENOENT' || error.code === 'ELOOP' || error.code === 'EISDIR') {
        fail(response, 404, 'not found');
        return;
      }
      throw error;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        fail(response, 404, 'not found');
        return;
      }
      const body = request.method === 'HEAD' ? null : await handle.readFile();
      response.writeHead(200, {
        ...securityHeaders,
        'Content-Type': found.type,
        'Content-Length': body === null ? stat.size : body.length,
        'Cache-Control': 'no-cache',
      });
      response.end(body ?? undefined);
    } finally {
      await handle.close();
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      console.error(`static-server: ${request.method} ${JSON.stringify(request.url).slice(0, 200)}: ${error?.stack ?? error}`);
      try {
        if (!response.headersSent) fail(response, 500, 'internal error');
        else response.destroy();
      } catch {
        response.destroy();
      }
    });
  });
  // Requests the HTTP parser refuses (bad bytes, a request line or headers over Node's 16 KiB):
  // an answer with the same headers, then the connection is closed; the server goes on.
  server.on('clientError', (error, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    socket.end(rawAnswer(status, STATUS_TEXT[status].toLowerCase()));
  });
  // CONNECT never reaches the request handler (Upgrade does, as there is no 'upgrade' listener).
  server.on('connect', (request, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawAnswer(405, 'only GET and HEAD', ['Allow: GET, HEAD']));
  });

  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  server.on('error', (error) => console.error(`static-server: ${error.message}`));
  const address = server.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shown}:${address.port}/`, policy };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [root, portText = '8080', host = '127.0.0.1'] = process.argv.slice(2);
  const port = Number(portText);
  if (root === undefined || !/^[0-9]{1,5}$/.test(portText) || port > 65535) {
    console.error('usage: node scripts/static-server.mjs ROOT [PORT] [HOST]  (PORT 0..65535)');
    process.exit(2);
  }
  try {
    const { url } = await startServer(root, port, { host });
    if (!['127.0.0.1', '::1', 'localhost'].includes(host)) console.error(`static-server: listening on ${host}, not only on this machine`);
    console.log(`relaycheck is served at ${url} (Ctrl-C to stop)`);
  } catch (error) {
    const reason = error.code === 'EADDRINUSE' ? `port ${port} is in use (choose another with --port N)` : error.message;
    console.error(`relaycheck could not be served: ${reason}`);
    process.exit(2);
  }
}

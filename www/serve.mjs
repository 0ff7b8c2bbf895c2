// Serves www/ at / and pkg/ at /pkg/ on 127.0.0.1 (the demo needs no backend; this only ships files).
// With SC_SERVER set (./dev server), /api/ is passed through to the reference server there, so the
// pages reach it on their own origin.
import { createServer, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const port = Number(process.argv[2] ?? 8080);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.ts': 'text/plain', '.svg': 'image/svg+xml' };

const upstream = process.env.SC_SERVER ? new URL(process.env.SC_SERVER) : null;

createServer(async (req, res) => {
  if (upstream && req.url.startsWith('/api/')) {
    const out = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.writeHead(502, { 'content-type': 'application/json' })
      .end('{"error":{"code":"SERVER_UNREACHABLE","message":"the reference server does not answer","details":[]}}'));
    req.pipe(out);
    return;
  }
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const file = path.startsWith('/pkg/') ? join(root, path) : join(root, 'www', path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(join(root, 'www')) && !file.startsWith(join(root, 'pkg'))) {
    res.writeHead(403).end('forbidden');
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(port, '127.0.0.1', () => console.log(`demo on http://127.0.0.1:${port}/`));

#!/usr/bin/env node
// A small stand-in for `hsc-jit serve`, for developing and for running the browser tests without
// the Python server: serves dist/ (with the SPA fallback) and speaks the wire contract of
// shared/PROTOCOL.md on /ws and /api with a tiny catalog. Not a reference implementation:
// predictions are a crude fuzzy match and answers are canned.
//
//   node e2e/mock-server.mjs            (PORT=4173 by default)
//   POST /__mock/restart                closes every socket with 1012 "service restart"
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer } from 'ws';

const PORT = Number(process.env.PORT ?? process.env.MOCK_PORT ?? 4173);
const HOST = process.env.HOST ?? '127.0.0.1';
const DIST = join(import.meta.dirname, '..', 'dist');
const ORIGIN = `http://${HOST}:${PORT}`;

const brands = [
  { id: 'roland', name: 'Roland', hq: 'Hamamatsu, Japan', founded: 1972, website: 'https://www.roland.com', logo_url: null, description: 'Electronic instruments.' },
  { id: 'shure', name: 'Shure', hq: 'Niles, Illinois, USA', founded: 1925, website: 'https://www.shure.com', logo_url: null, description: 'Microphones.' },
];
const manual = (id) => ({ type: 'pdf', url: `${ORIGIN}/demo/manuals/${id}-owners-manual.pdf`, backup_url: null });
const products = [
  { id: 'roland-td27kv', name: 'Roland TD-27KV V-Drums', brand: 'roland', category: 'Electronic Drums', price: 3499, specs: { Kits: '100', Pads: 'mesh' }, related: [['roland-rh300', 'accessory', 'Recommended Headphones'], ['roland-kt10', 'accessory', 'Kick Pedal']] },
  { id: 'roland-td17kvx2', name: 'Roland TD-17KVX Gen 2', brand: 'roland', category: 'Electronic Drums', price: 1999, related: [['roland-rh300', 'accessory', 'Headphones']] },
  { id: 'roland-fp30x', name: 'Roland FP-30X Digital Piano', brand: 'roland', category: 'Digital Pianos', price: 749, related: [['roland-rh5', 'accessory', 'Headphones']] },
  { id: 'roland-rh300', name: 'Roland RH-300 Headphones', brand: 'roland', category: 'Headphones', related: [] },
  { id: 'roland-rh5', name: 'Roland RH-5 Headphones', brand: 'roland', category: 'Headphones', related: [] },
  { id: 'roland-kt10', name: 'Roland KT-10 Kick Pedal', brand: 'roland', category: 'Drum Accessories', related: [] },
  { id: 'shure-sm58', name: 'Shure SM58', brand: 'shure', category: 'Microphones', price: 99, related: [] },
].map((p) => ({
  ...p,
  production_country: 'Japan',
  description: `${p.name}: a product of the mock catalog.`,
  images: { main: null, thumbnail: null },
  documentation: manual(p.id),
}));
const byId = new Map(products.map((p) => [p.id, p]));

function productView(p) {
  const { related, ...rest } = p;
  return { ...rest, brand_identity: brands.find((b) => b.id === p.brand) ?? null };
}
function relatedItems(p) {
  return p.related
    .map(([id, type, label]) => byId.get(id) && { id, name: byId.get(id).name, category: byId.get(id).category, type, label, image: null, production_country: 'Japan' })
    .filter(Boolean);
}
function item(p, confidence) {
  return { product: productView(p), brand: brands.find((b) => b.id === p.brand), context: { related_items: relatedItems(p) }, confidence, match_text: p.name };
}

const norm = (s) => s.toLowerCase().replace(/[^a-z0-9 ]+/g, '').split(/\s+/).filter(Boolean);
function lev(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}
function similarity(q, word) {
  if (word.startsWith(q)) return 1;
  return Math.max(0, 1 - lev(q, word.slice(0, Math.max(q.length, 3))) / Math.max(q.length, 1));
}
function predict(text, limit = 10) {
  const query = norm(text);
  if (query.length === 0) return products.slice(0, limit).map((p) => item(p, 50));
  return products
    .map((p) => {
      const words = norm(`${p.name} ${p.brand}`);
      const score = query.reduce((sum, q) => sum + Math.max(...words.map((w) => similarity(q, w))), 0) / query.length;
      return [p, score];
    })
    .filter(([, s]) => s > 0.45)
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([p, s]) => item(p, Math.round(s * 100)));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function answer(send, frame) {
  const p = byId.get(frame.product_id);
  const seq = frame.seq ?? null;
  if (!p) {
    send({ type: 'status', msg: 'That product is not in the catalog.' });
    send({ type: 'error', code: 'product_not_found', message: 'That product is not in the catalog.', seq });
    return;
  }
  const live = frame.scenario === 'live';
  send({ type: 'status', msg: 'Reading Official Manual...' });
  await sleep(300);
  send({ type: 'status', msg: 'Found relevant pages: 12, 14. Thinking...' });
  await sleep(200);
  const accessory = relatedItems(p)[0];
  const chunks = [
    `To use headphones with the ${p.name}, plug them into the PHONES jack on the front of the module.`,
    '[MANUAL: page 12]',
    'Turn the volume knob down first, then raise it slowly while you play.',
    '[MANUAL: page 14]',
    ...(accessory ? [`[SUGGESTION: ${accessory.name}]`] : []),
    live ? '[PRO TIP: On stage, keep a spare headphone adapter in your stick bag.]' : '[PRO TIP: Closed-back headphones keep the click out of your recordings.]',
  ];
  for (const content of chunks) {
    send({ type: 'answer_chunk', content });
    await sleep(120);
  }
  const sources = [12, 14].map((page) => ({ page, url: p.documentation.url, title: `${p.name} Owner's Manual` }));
  send({ type: 'context', data: { brand: brands.find((b) => b.id === p.brand), related_items: relatedItems(p), scenario: frame.scenario ?? 'general', sources } });
  send({ type: 'final_answer', content: '', sources, provider: 'mock', cached: false, found: true, seq });
}

// A tiny one-page PDF, so a citation chip opens something.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', ORIGIN);
  const path = url.pathname;
  if (path === '/api/brands') {
    return json(res, 200, { total_brands: brands.length, brands: brands.map((b) => ({ ...b, product_count: products.filter((p) => p.brand === b.id).length })) });
  }
  if (path.startsWith('/api/products/')) {
    const p = byId.get(decodeURIComponent(path.slice('/api/products/'.length)));
    if (!p) return json(res, 404, { error: { code: 'product_not_found', message: 'No such product' } });
    return json(res, 200, { product: productView(p), brand: brands.find((b) => b.id === p.brand), context: { related_items: relatedItems(p) } });
  }
  if (path === '/api/predict') {
    const q = url.searchParams.get('q') ?? '';
    return json(res, 200, { query: q, predictions: predict(q, Number(url.searchParams.get('limit') ?? 10)) });
  }
  if (path === '/health' || path === '/ready') return json(res, 200, { status: 'healthy' });
  if (path === '/__mock/restart' && req.method === 'POST') {
    for (const client of wss.clients) client.close(1012, 'service restart');
    return json(res, 200, { closed: wss.clients.size });
  }
  if (path.startsWith('/demo/manuals/')) {
    res.writeHead(200, { 'content-type': 'application/pdf' });
    return res.end(PDF);
  }
  let file = normalize(join(DIST, path));
  if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    return res.end('dist/ is missing: run `npm run build` first.');
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});

const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  if (new URL(req.url ?? '/', ORIGIN).pathname !== '/ws') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
wss.on('connection', (ws) => {
  const send = (message) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message));
  ws.on('message', (raw) => {
    let frame;
    try {
      frame = JSON.parse(String(raw));
    } catch {
      return send({ type: 'error', code: 'invalid_json', message: 'The message is not valid JSON.' });
    }
    if (frame.type === 'typing') return send({ type: 'prediction', data: predict(String(frame.content ?? ''), frame.limit ?? 10), seq: frame.seq ?? null, query: frame.content ?? '' });
    if (frame.type === 'query' || frame.type === 'lock_and_query') return void answer(send, frame);
    if (frame.type === 'ping') return send({ type: 'pong', seq: frame.seq ?? null });
    send({ type: 'error', code: 'unknown_type', message: `Unknown message type '${frame.type}'.`, seq: frame.seq ?? null });
  });
});

server.listen(PORT, HOST, () => console.log(`mock server on ${ORIGIN} (dist: ${DIST})`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));

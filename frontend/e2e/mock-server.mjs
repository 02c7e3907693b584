#!/usr/bin/env node
// A small stand-in for `hsc-jit serve`, for developing and for running the browser tests without
// the Python server: serves dist/ (with the SPA fallback) and speaks the wire contract of
// shared/PROTOCOL.md on /ws and /api with a tiny catalog. Not a reference implementation:
// predictions are a crude fuzzy match and answers are canned.
//
//   node e2e/mock-server.mjs            (PORT=4173 by default)
//   POST /__mock/restart                closes every socket with 1012 "service restart"
//   MOCK_ADMIN_TOKEN=...                the admin token of /api/admin/* (default below; "" = off, 404)
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { WebSocketServer } from 'ws';
import { PAGES, shopPage } from './shop-page.mjs';

const PORT = Number(process.env.PORT ?? process.env.MOCK_PORT ?? 4173);
const HOST = process.env.HOST ?? '127.0.0.1';
const DIST = join(import.meta.dirname, '..', 'dist');
const ORIGIN = `http://${HOST}:${PORT}`;
// For the widget, a pretend shop (e2e/shop-page.mjs: en.html, he.html) on two more ports: PORT+1,
// an origin in the CORS list (like HSC_CORS_ORIGINS), and PORT+2, one that is not.
const SHOP_ORIGIN = `http://${HOST}:${PORT + 1}`;
const FOREIGN_ORIGIN = `http://${HOST}:${PORT + 2}`;
const CORS_ORIGINS = new Set([SHOP_ORIGIN]);
const allowedOrigin = (origin) => !origin || origin === ORIGIN || CORS_ORIGINS.has(origin);

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
function predict(text, limit = 10, brand = null) {
  const query = norm(text);
  const pool = brand ? products.filter((p) => p.brand === brand) : products;
  if (query.length === 0) return pool.slice(0, limit).map((p) => item(p, 50));
  return pool
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

// Conversations, feedback and handoff (in memory): what the admin reports show.
const MOCK_ADMIN_TOKEN = 'mock-admin-token-0123456789';
const ADMIN_TOKEN = process.env.MOCK_ADMIN_TOKEN ?? MOCK_ADMIN_TOKEN;
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const answers = new Map(); // answer_id -> {conversation_id, product_id, question, answer}
const conversations = new Map(); // conversation_id -> product_id
const feedback = [];
const tickets = [];
let counter = 0;
const newId = (prefix) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

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
  const conversationId = typeof frame.conversation_id === 'string' && ID.test(frame.conversation_id) ? frame.conversation_id : newId('conv');
  const answerId = newId('ans');
  conversations.set(conversationId, p.id);
  answers.set(answerId, { conversation_id: conversationId, product_id: p.id, question: String(frame.query ?? ''), answer: chunks.filter((c) => !c.startsWith('[')).join(' ') });
  send({ type: 'final_answer', content: '', sources, provider: 'mock', cached: false, found: true, seq, conversation_id: conversationId, answer_id: answerId });
}

function rate(send, frame) {
  const known = answers.get(frame.answer_id);
  if (!known || (frame.rating !== 'up' && frame.rating !== 'down')) {
    return send({ type: 'error', code: known ? 'invalid_message' : 'not_found', message: known ? "Invalid 'rating'." : 'No answer with that id.', seq: frame.seq ?? null });
  }
  const comment = typeof frame.comment === 'string' && frame.comment.trim() ? frame.comment.trim() : null;
  // A rating sent again replaces the earlier one (as on the server: one rating per answer).
  const earlier = feedback.findIndex((f) => f.answer_id === frame.answer_id);
  if (earlier >= 0) feedback.splice(earlier, 1);
  feedback.unshift({ answer_id: frame.answer_id, rating: frame.rating, comment, ...known, created_at: new Date().toISOString() });
  send({ type: 'feedback_ack', answer_id: frame.answer_id, seq: frame.seq ?? null });
}

function handoff(send, frame) {
  if (typeof frame.conversation_id !== 'string' || !ID.test(frame.conversation_id)) {
    return send({ type: 'error', code: 'invalid_message', message: "Invalid 'conversation_id'.", seq: frame.seq ?? null });
  }
  const contact = frame.contact ?? {};
  const productId = conversations.get(frame.conversation_id);
  const product = productId ? { id: productId, name: byId.get(productId).name, brand: byId.get(productId).brand } : null;
  const ticket = {
    ticket_id: newId('T'),
    conversation_id: frame.conversation_id,
    created_at: new Date().toISOString(),
    message: String(frame.message ?? ''),
    contact: { name: contact.name ?? null, email: contact.email ?? null, phone: contact.phone ?? null },
    product,
    state: 'not_configured',
    attempts: 0,
    delivered_at: null,
    next_attempt_at: null,
    last_error: null,
  };
  tickets.unshift(ticket);
  send({ type: 'handoff_ack', ticket_id: ticket.ticket_id, seq: frame.seq ?? null });
}

/** `GET /api/admin/{tickets,feedback,unanswered,searches}`: JSON, or CSV with `format=csv`. */
function admin(req, res, url) {
  if (!ADMIN_TOKEN) return json(res, 404, { error: { code: 'not_found', message: 'Not Found' } });
  if (req.headers.authorization !== `Bearer ${ADMIN_TOKEN}`) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return json(res, 401, { error: { code: 'unauthorized', message: 'A valid admin token is required.' } });
  }
  const limit = Number(url.searchParams.get('limit') ?? 100);
  const reports = {
    tickets: { tickets: tickets.slice(0, limit) },
    feedback: { feedback: feedback.filter((f) => !url.searchParams.get('rating') || f.rating === url.searchParams.get('rating')).slice(0, limit) },
    unanswered: { questions: [], groups: [] },
    searches: { searches: [] },
  };
  const report = url.pathname.slice('/api/admin/'.length);
  if (!Object.hasOwn(reports, report)) return json(res, 404, { error: { code: 'not_found', message: 'Not Found' } });
  if (url.searchParams.get('format') !== 'csv') return json(res, 200, reports[report]);
  const rows = Object.values(reports[report]).at(-1);
  const cell = (v) => `"${String(typeof v === 'object' && v !== null ? JSON.stringify(v) : (v ?? '')).replace(/"/g, '""')}"`;
  const keys = rows[0] ? Object.keys(rows[0]) : [];
  res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
  res.end([keys.join(','), ...rows.map((row) => keys.map((k) => cell(row[k])).join(','))].join('\n') + '\n');
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
  // CORS as the real server does it: the listed origins only (the widget's panel bundle is a
  // module script, so it needs these headers too).
  const origin = req.headers.origin;
  if (origin && CORS_ORIGINS.has(origin)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    if (origin && CORS_ORIGINS.has(origin)) {
      res.writeHead(200, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'Content-Type' });
    } else res.writeHead(400);
    return res.end();
  }
  if (path === '/api/config') {
    return json(res, 200, { ws_url: null, languages: ['en', 'he'], default_lang: 'en', prediction_limit: 8, typing_debounce_ms: 150 });
  }
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
  if (path.startsWith('/api/admin/') && req.method === 'GET') return admin(req, res, url);
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
  if (!allowedOrigin(req.headers.origin)) {
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    return;
  }
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
    if (frame.type === 'typing') {
      const data = predict(String(frame.content ?? ''), frame.limit ?? 10, typeof frame.brand === 'string' ? frame.brand : null);
      return send({ type: 'prediction', data, seq: frame.seq ?? null, query: frame.content ?? '' });
    }
    if (frame.type === 'query' || frame.type === 'lock_and_query') return void answer(send, frame);
    if (frame.type === 'ping') return send({ type: 'pong', seq: frame.seq ?? null });
    if (frame.type === 'feedback') return rate(send, frame);
    if (frame.type === 'handoff') return handoff(send, frame);
    send({ type: 'error', code: 'unknown_type', message: `Unknown message type '${frame.type}'.`, seq: frame.seq ?? null });
  });
});

// The pretend shop: the same pages on an allowed origin and on one the server refuses.
const shop = createServer((req, res) => {
  const name = new URL(req.url ?? '/', SHOP_ORIGIN).pathname.replace(/^\/|\.html$/g, '');
  if (!Object.hasOwn(PAGES, name)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found');
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(shopPage(ORIGIN, PAGES[name]));
});
const foreign = createServer((req, res) => shop.emit('request', req, res));

server.listen(PORT, HOST, () => console.log(`mock server on ${ORIGIN} (dist: ${DIST})`));
shop.listen(PORT + 1, HOST, () => console.log(`shop page (allowed origin) on ${SHOP_ORIGIN}/en.html, /he.html`));
foreign.listen(PORT + 2, HOST, () => console.log(`shop page (origin not allowed) on ${FOREIGN_ORIGIN}/en.html`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    shop.close();
    foreign.close();
    server.close(() => process.exit(0));
  });
}

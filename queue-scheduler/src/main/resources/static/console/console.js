'use strict';
// The ops console: reads the scheduler's routes and queues and, through /api/v1/indexers/{n}/..., each indexer's
// status and dead letters, every two seconds; sends the operator's actions as JSON with the bearer token.

const REFRESH_MILLIS = 2000;
const previous = {};   // last counters per indexer queue, to turn totals into rates
let timer = null;

function token() { return sessionStorage.getItem('dynamic-index-token'); }

async function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + token() };
  if (method !== 'GET') { headers['Content-Type'] = 'application/json'; }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
  if (response.status === 401) { signOut('the token was refused (401)'); }
  return { status: response.status, data };
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text === null || text === undefined ? '–' : String(text);
  if (className) { td.className = className; }
  return td;
}

function number(value, digits) {
  return value === null || value === undefined ? null : Number(value).toFixed(digits || 0);
}

function button(parent, label, className, action) {
  const b = document.createElement('button');
  b.textContent = label;
  b.className = className;
  b.addEventListener('click', action);
  parent.appendChild(b);
  return b;
}

function show(result) {
  document.getElementById('result').textContent = JSON.stringify(result, null, 2);
}

async function act(method, path, body) {
  const result = await api(method, path, body);
  show({ request: method + ' ' + path, status: result.status, answer: result.data });
  await refresh();
  return result;
}

function renderQueues(queues) {
  const body = document.querySelector('#queues tbody');
  body.replaceChildren();
  for (const q of queues) {
    const row = body.insertRow();
    row.dataset.queue = q.queue;
    cell(row, q.route); cell(row, q.role); cell(row, q.queue);
    cell(row, q.messages, 'number depth'); cell(row, q.consumers, 'number');
    cell(row, number(q.publishRate, 1), 'number'); cell(row, number(q.deliverRate, 1), 'number');
    cell(row, q.from);
  }
}

function renderRoutes(routes) {
  const body = document.querySelector('#routes tbody');
  body.replaceChildren();
  for (const r of routes) {
    const row = body.insertRow();
    row.dataset.route = r.name;
    cell(row, r.name); cell(row, r.source + ' → ' + r.target);
    cell(row, r.messagesPerTick, 'number'); cell(row, r.cron);
    cell(row, r.paused ? 'paused' : (r.active ? 'active' : 'standby'), r.paused ? 'paused state' : 'state');
    cell(row, r.lastTick ? r.lastTick.replace('T', ' ').replace(/\..*/, '') + ' · ' + r.lastTickCount + ' · '
      + r.lastOutcome : null);
    const backlog = r.sourceDepth === null ? null : Math.ceil(r.sourceDepth / r.messagesPerTick) + ' ticks';
    cell(row, backlog, 'number'); cell(row, r.moved, 'number');
    const actions = row.insertCell();
    const path = '/api/v1/routes/' + encodeURIComponent(r.name);
    if (r.paused) {
      button(actions, 'Resume', 'resume', () => act('POST', path + '/resume'));
    } else {
      button(actions, 'Pause', 'pause', () => act('POST', path + '/pause'));
    }
    const rate = document.createElement('input');
    rate.type = 'number'; rate.min = '1'; rate.className = 'rate'; rate.placeholder = 'N';
    actions.appendChild(rate);
    button(actions, 'Set N', 'rerate',
      () => act('PATCH', path, { messagesPerTick: Number(rate.value) }));
  }
}

function rate(key, total) {
  const now = Date.now();
  const last = previous[key];
  previous[key] = { total, now };
  if (!last || now === last.now) { return null; }
  return (total - last.total) * 1000 / (now - last.now);
}

function table(parent, headings) {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const h of headings) { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); }
  t.createTBody();
  parent.appendChild(t);
  return t.tBodies[0];
}

function heading(parent, level, text) {
  const h = document.createElement(level);
  h.textContent = text;
  parent.appendChild(h);
}

async function renderIndexer(section, indexer) {
  const base = '/api/v1/indexers/' + indexer.id;
  heading(section, 'h2', 'Indexer ' + indexer.id + ' (' + indexer.url + ')');
  const status = await api('GET', base + '/api/v1/status');
  if (status.status !== 200) {
    const p = document.createElement('p'); p.className = 'error';
    p.textContent = 'unavailable: ' + status.status + ' ' + JSON.stringify(status.data);
    section.appendChild(p);
    return;
  }
  const queues = table(section, ['Queue', 'State', 'Reason', 'Applied/s', 'Applied', 'Bulk mean ms', 'Bulk max ms',
    'Retries', 'Dead-lettered', 'Lag p99 s', 'Lag max s']);
  for (const q of status.data.queues) {
    const row = queues.insertRow();
    row.dataset.queue = q.queue;
    cell(row, q.queue); cell(row, q.state, q.state + ' state'); cell(row, q.reason);
    cell(row, number(rate(indexer.id + '/' + q.queue, q.applied), 1), 'number');
    cell(row, q.applied, 'number'); cell(row, number(q.bulkMeanMillis, 1), 'number');
    cell(row, number(q.bulkMaxMillis), 'number'); cell(row, q.retries, 'number');
    cell(row, q.deadLettered, 'number'); cell(row, number(q.lagP99Millis / 1000, 1), 'number');
    cell(row, number(q.lagMaxMillis / 1000, 1), 'number');
  }
  heading(section, 'h3', 'Dead letters not replayed, by error type');
  const counts = table(section, ['Queue', 'Error type', 'Count', 'Purge']);
  for (const c of status.data.deadLetters) {
    const row = counts.insertRow();
    cell(row, c.queue); cell(row, c.errorType); cell(row, c.count, 'number');
    const filter = '?queue=' + encodeURIComponent(c.queue) + '&errorType=' + encodeURIComponent(c.errorType)
      + '&replayed=false';
    button(row.insertCell(), 'Purge…', 'purge', async () => {
      const dry = await act('DELETE', base + '/api/v1/dead-letters' + filter + '&dryRun=true');
      const matching = dry.data && dry.data.matching;
      if (matching !== undefined && window.confirm('Remove ' + matching + ' dead letter(s) of ' + c.queue + ' / '
          + c.errorType + '? They are the only copy of those messages.')) {
        await act('DELETE', base + '/api/v1/dead-letters' + filter + '&confirm=true');
      }
    });
  }
  heading(section, 'h3', 'Latest dead letters');
  const letters = await api('GET', base + '/api/v1/dead-letters?replayed=false&limit=20');
  const rows = table(section, ['Id', 'Queue', 'Error type', 'Reason', 'Document', 'Last attempt', 'Replay']);
  for (const d of letters.data || []) {
    const row = rows.insertRow();
    row.dataset.deadLetter = d.id;
    cell(row, d.id); cell(row, d.queue); cell(row, d.errorType); cell(row, d.reason);
    cell(row, d.documentId); cell(row, d.lastAttempt);
    button(row.insertCell(), 'Replay', 'replay', () => act('POST', base + '/api/v1/dead-letters/' + d.id + '/replay'));
  }
}

async function refresh() {
  if (!token()) { return; }
  try {
    const [routes, queues, indexers] = await Promise.all([api('GET', '/api/v1/routes'), api('GET', '/api/v1/queues'),
      api('GET', '/api/v1/indexers')]);
    if (!token()) { return; }
    renderRoutes(routes.data || []);
    renderQueues(queues.data || []);
    const section = document.createElement('section');
    section.id = 'indexers';
    for (const indexer of indexers.data || []) { await renderIndexer(section, indexer); }
    document.getElementById('indexers').replaceWith(section);
    document.getElementById('status').textContent = 'refreshed ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'refresh failed: ' + e;
  }
}

function signOut(reason) {
  sessionStorage.removeItem('dynamic-index-token');
  clearInterval(timer);
  document.getElementById('console').hidden = true;
  document.getElementById('login-panel').hidden = false;
  document.getElementById('logout').hidden = true;
  document.getElementById('login-error').textContent = reason || '';
  document.getElementById('status').textContent = 'not signed in';
}

async function signIn(candidate) {
  sessionStorage.setItem('dynamic-index-token', candidate);
  const check = await api('GET', '/api/v1/routes');
  if (check.status !== 200) { signOut('sign-in failed: ' + check.status); return; }
  document.getElementById('login-panel').hidden = true;
  document.getElementById('console').hidden = false;
  document.getElementById('logout').hidden = false;
  await refresh();
  timer = setInterval(refresh, REFRESH_MILLIS);
}

document.getElementById('login').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(document.getElementById('token').value.trim());
});
document.getElementById('logout').addEventListener('click', () => signOut());
if (token()) { signIn(token()); }

// The classroom view: one or more branches of a run (A, then forks B, C…), each a simulation
// on the server. The page asks the server to step, draws the map and the charts, and turns
// levers and injected events into timed events of the selected branch.
'use strict';

const COLORS = ['#1f3a5f', '#c2185b', '#00897b', '#ef6c00'];
const NAMES = ['A', 'B', 'C', 'D'];
const MAX_BRANCHES = 4;
// Agents: citizens by state, then units by kind (index as the server's unit_kinds).
const CITIZEN = { quiescent: [96, 170, 96], active: [215, 25, 28], detained: [40, 40, 40] };
const UNITS = [
  { kind: 'patrol', label: 'patrol', rgb: [0, 80, 200] },
  { kind: 'aid_team', label: 'aid team', rgb: [240, 160, 0] },
  { kind: 'convoy', label: 'convoy', rgb: [140, 60, 170] },
  { kind: 'liaison', label: 'liaison', rgb: [0, 170, 170] },
  { kind: 'telecom', label: 'telecom', rgb: [150, 150, 150] },
];
const GROUND = [[236, 240, 248], [250, 244, 228], [243, 234, 246], [232, 232, 232], [250, 236, 226], [228, 243, 246]];
const TECH = ['drones', 'analytics', 'telecom', 'real_time_data'];

const S = { branches: [], selected: 0, playing: false, busy: false, info: null, hoverTick: null, pinger: null, uploads: {} };
window.peacesim = S; // read by tests/browser/serve.mjs

const $ = id => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};

// ── Talking to the server ────────────────────────────────────────────────────────────────
async function api(method, path, body) {
  const res = await fetch(path, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({ error: res.status + ' ' + res.statusText }));
  if (!res.ok) throw data;
  return data;
}

function showError(e) {
  const box = $('error');
  if (!e) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  box.textContent = '';
  const problems = e.problems || [];
  // The first line names the file and the count; the problems follow with their lines.
  // A refused lever's problems have no line (line 0): its error says them in the page's terms.
  const located = problems.filter(p => p.line > 0);
  box.append(el('strong', { text: located.length ? String(e.error).split('\n')[0] : (e.error || String(e)) }));
  if (located.length) {
    const ul = el('ul');
    for (const p of located) ul.append(el('li', { text: 'line ' + p.line + ', column ' + p.column + ': ' + (p.field ? p.field + ': ' : '') + p.message }));
    box.append(ul);
  }
  console.warn('peacesim:', e.error || e);
}

async function guarded(f) {
  if (S.busy) return;
  S.busy = true; updateButtons();
  try { showError(null); await f(); } catch (e) { showError(e); stopPlay(); } finally { S.busy = false; updateButtons(); }
}

// A branch's state from a server answer; `replace` when the rows restart at tick 1.
function absorb(b, d, replace) {
  if (d.info) { b.info = d.info; S.info = d.info; }
  b.rows = replace ? d.rows.slice() : b.rows.concat(d.rows);
  b.tick = d.tick; b.ticks = d.ticks; b.districts = d.districts; b.agents = d.agents;
  b.partners = d.partners; b.events = d.events; b.added = d.added; b.seed = d.seed;
  b.coordination = d.coordination;
}

function newBranch(d, forkedAt) {
  const i = S.branches.length;
  const b = { id: d.id, name: NAMES[i], color: COLORS[i], forkedAt, rows: [] };
  absorb(b, d, true);
  return b;
}

async function closeAll() {
  for (const b of S.branches) navigator.sendBeacon('/api/sessions/' + b.id + '/close');
  S.branches = [];
}

async function setup(upload) {
  stopPlay();
  const seed = $('seed').value === '' ? undefined : Number($('seed').value);
  // An uploaded file stays in the scenario picker: Setup with it selected starts it again
  // (with the seed field, if set), instead of silently loading the bundled scenario.
  const kept = !upload && S.uploads[$('scenario').value];
  const file = upload || kept;
  const body = file ? { text: file.text, file_name: file.name } : { scenario: $('scenario').value };
  if (seed !== undefined && !upload) body.seed = seed;
  const d = await api('POST', '/api/sessions', body);
  await closeAll();
  S.branches = [newBranch(d, null)];
  S.selected = 0;
  $('seed').value = d.seed;
  buildStatic();
  render();
}

async function step(n) {
  const live = S.branches.filter(b => b.tick < b.ticks);
  if (!live.length) { stopPlay(); return; }
  const answers = await Promise.all(live.map(b => api('POST', '/api/sessions/' + b.id + '/step?n=' + n + '&since=' + b.rows.length)));
  answers.forEach((d, i) => absorb(live[i], d, false));
  render();
}

async function intervene(iv) {
  await guarded(async () => {
    const b = S.branches[S.selected];
    const d = await api('POST', '/api/sessions/' + b.id + '/intervene', iv);
    absorb(b, d, true);
    render();
  });
}

async function fork() {
  await guarded(async () => {
    if (S.branches.length >= MAX_BRANCHES) throw { error: 'at most ' + MAX_BRANCHES + ' branches on one page: close one first' };
    const from = S.branches[S.selected];
    const d = await api('POST', '/api/sessions/' + from.id + '/fork');
    S.branches.push(newBranch(d, from.tick));
    S.selected = S.branches.length - 1;
    buildMaps();
    render();
  });
}

async function reset() {
  stopPlay();
  await guarded(async () => {
    for (const b of S.branches.slice(1)) navigator.sendBeacon('/api/sessions/' + b.id + '/close');
    S.branches = S.branches.slice(0, 1);
    S.selected = 0;
    const a = S.branches[0];
    const seed = $('seed').value === '' ? undefined : Number($('seed').value);
    const d = await api('POST', '/api/sessions/' + a.id + '/reset', seed === undefined ? {} : { seed });
    absorb(a, d, true);
    buildMaps();
    render();
  });
}

// ── Play loop ────────────────────────────────────────────────────────────────────────────
async function play() {
  S.playing = true; updateButtons();
  while (S.playing) {
    const speed = Number($('speed').value);
    // Several days per request at high speed: about 8 requests a second at most.
    const n = Math.max(1, Math.round(speed / 8));
    const t0 = performance.now();
    try { S.busy = true; await step(n); } catch (e) { showError(e); stopPlay(); } finally { S.busy = false; }
    if (S.branches.every(b => b.tick >= b.ticks)) stopPlay();
    const wait = n * 1000 / speed - (performance.now() - t0);
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
  }
  updateButtons();
}
function stopPlay() { S.playing = false; updateButtons(); }

function updateButtons() {
  const has = S.branches.length > 0;
  const over = has && S.branches.every(b => b.tick >= b.ticks);
  $('play').textContent = S.playing ? '❚❚ Pause' : '▶ Play';
  $('play').classList.toggle('on', S.playing);
  $('play').disabled = !has || (over && !S.playing);
  $('step').disabled = !has || S.playing || S.busy || over;
  $('reset').disabled = !has || S.playing || S.busy;
  $('fork').disabled = !has || S.playing || S.busy || S.branches.length >= MAX_BRANCHES;
  $('ev-go').disabled = !has || S.busy;
}

// ── The map ──────────────────────────────────────────────────────────────────────────────
function buildMaps() {
  const box = $('maps');
  box.textContent = '';
  const info = S.info;
  const target = S.branches.length > 1 ? 300 : 620;
  const scale = Math.max(1, Math.min(Math.floor(target / info.map.width), Math.floor(420 / info.map.height)) || 1);
  S.branches.forEach((b, i) => {
    const c = el('canvas', { width: info.map.width * scale, height: info.map.height * scale, 'data-branch': b.name });
    c.scale = scale;
    c.addEventListener('mousemove', ev => hoverMap(ev, b, c));
    c.addEventListener('mouseleave', () => { $('tooltip').hidden = true; });
    c.addEventListener('click', () => { S.selected = i; render(); });
    const wrap = el('div', { class: 'map' + (i === S.selected ? ' selected' : '') },
      el('h3', { text: (S.branches.length > 1 ? 'Branch ' + b.name + ' — ' : '') + info.name }), c);
    wrap.style.borderTop = S.branches.length > 1 ? '4px solid ' + b.color : '';
    b.canvas = c; b.wrap = wrap;
    box.append(wrap);
  });
}

function drawMap(b) {
  const c = b.canvas, info = S.info;
  if (!c) return;
  const W = info.map.width, H = info.map.height, s = c.scale;
  const g = c.getContext('2d');
  const img = g.createImageData(W * s, H * s);
  const px = img.data, PW = W * s;
  const spoil = info.districts.map(name => {
    const r = (b.districts || []).find(d => d.district === name);
    return r ? r.spoiler_strength : 0;
  });
  const cells = info.map.cells;
  // Ground: district tints, darker borders, spoiler hatching (denser where spoilers are stronger).
  for (let y = 0; y < H * s; y++) {
    const cy = (y / s) | 0;
    for (let x = 0; x < PW; x++) {
      const cx = (x / s) | 0, d = cells[cy * W + cx];
      let [r, gg, bb] = GROUND[d % GROUND.length];
      const edge = (x % s === 0 && cx > 0 && cells[cy * W + cx - 1] !== d) || (y % s === 0 && cy > 0 && cells[(cy - 1) * W + cx] !== d);
      if (edge) { r = gg = bb = 90; }
      else if (spoil[d] > 0.02 && ((x + y) % 9 === 0) && ((x * 7 + y * 13) % 100) < spoil[d] * 160) { r = 150; gg = 60; bb = 60; }
      const o = (y * PW + x) * 4;
      px[o] = r; px[o + 1] = gg; px[o + 2] = bb; px[o + 3] = 255;
    }
  }
  const dot = Math.max(1, s - 1);
  const square = (cell, size, off, rgb, hollow) => {
    const x0 = (cell % W) * s - off, y0 = ((cell / W) | 0) * s - off;
    for (let y = Math.max(0, y0); y < Math.min(H * s, y0 + size); y++)
      for (let x = Math.max(0, x0); x < Math.min(PW, x0 + size); x++) {
        if (hollow && y > y0 && y < y0 + size - 1 && x > x0 && x < x0 + size - 1) continue;
        const o = (y * PW + x) * 4;
        px[o] = rgb[0]; px[o + 1] = rgb[1]; px[o + 2] = rgb[2];
      }
  };
  const a = b.agents;
  if (a) {
    for (const state of ['detained', 'quiescent', 'active']) for (const cell of a[state]) square(cell, dot, 0, CITIZEN[state], false);
    const units = a.units.slice().sort((p, q) => q[0] - p[0]);
    const size = Math.max(3, s + 2);
    for (const [k, op, cell] of units) square(cell, size, 1, op ? UNITS[k].rgb : UNITS[k].rgb.map(v => v * 0.6), !op);
  }
  g.putImageData(img, 0, 0);
}

function hoverMap(ev, b, c) {
  const info = S.info;
  const x = Math.floor(ev.offsetX / c.clientWidth * info.map.width);
  const y = Math.floor(ev.offsetY / c.clientHeight * info.map.height);
  if (x < 0 || y < 0 || x >= info.map.width || y >= info.map.height) return;
  const d = info.map.cells[y * info.map.width + x];
  const name = info.districts[d];
  const r = (b.districts || []).find(z => z.district === name);
  let patrols = 0, aid = 0;
  for (const [k, op, cell] of (b.agents ? b.agents.units : [])) {
    if (op && info.map.cells[cell] === d) { if (k === 0) patrols++; if (k === 1) aid++; }
  }
  const tip = $('tooltip');
  tip.textContent = '';
  tip.append(el('b', { text: name + (S.branches.length > 1 ? ' (branch ' + b.name + ')' : '') }));
  const t = el('table');
  const row = (k, v) => t.append(el('tr', {}, el('td', { text: k }), el('td', { text: v })));
  if (r) {
    row('day', String(b.tick));
    row('residents', String(r.residents));
    row('active', r.active + ' (' + (100 * r.active / Math.max(1, r.residents)).toFixed(1) + ' %)');
    row('detained', String(r.detained));
    row('displaced (fled)', r.displaced + ' (' + (100 * r.displaced / Math.max(1, r.residents)).toFixed(1) + ' %)');
    // Means and shares over residents: none where nobody lives (they read as trust 0).
    const perResident = r.residents > 0 ? (k, v) => row(k, v.toFixed(3)) : (k) => row(k, '– (no residents)');
    perResident('stability', r.stability);
    perResident('trust in the mission', r.trust);
    perResident('hardship', r.hardship);
    perResident('security coverage', r.security_coverage);
    perResident('aid coverage', r.aid_coverage);
    row('spoiler strength', r.spoiler_strength.toFixed(3));
    row('patrols / aid teams here', patrols + ' / ' + aid);
  } else row('', 'press Step to start');
  tip.append(t);
  tip.hidden = false;
  tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 260) + 'px';
  tip.style.top = (ev.clientY + 14) + 'px';
}

function mapLegend() {
  const box = $('map-legend');
  box.textContent = '';
  const key = (rgb, label, unit) => {
    const sw = el('span', { class: 'sw' });
    sw.style.background = 'rgb(' + rgb.join(',') + ')';
    if (unit) sw.style.borderColor = 'rgb(' + rgb.map(v => v * 0.6).join(',') + ')';
    box.append(el('span', { class: 'key' }, sw, label));
  };
  const b = S.branches[S.selected], a = b && b.agents;
  for (const st of ['quiescent', 'active', 'detained']) key(CITIZEN[st], st + (a ? ' ' + a[st].length : ''), false);
  const counts = {};
  for (const [k, op] of (a ? a.units : [])) { counts[k] = counts[k] || [0, 0]; counts[k][0]++; counts[k][1] += op; }
  UNITS.forEach((u, k) => { if (counts[k]) key(u.rgb, u.label + ' ' + counts[k][1] + '/' + counts[k][0] + ' operating', true); });
  const hatch = el('span', { class: 'sw' });
  hatch.style.background = 'repeating-linear-gradient(135deg, #eee 0 3px, #966 3px 4px)';
  box.append(el('span', { class: 'key' }, hatch, 'spoilers (denser = stronger)'));
  const away = b && b.rows && b.rows.length ? b.rows[b.rows.length - 1].displaced : 0;
  if (away) box.append(el('span', { class: 'key', text: away + ' displaced (off the map)' }));
  box.append(el('span', { class: 'key', text: 'hover a district for details' }));
}

// ── Charts ───────────────────────────────────────────────────────────────────────────────
function buildCharts() {
  const box = $('charts');
  box.textContent = '';
  for (const spec of Charts.CHARTS) {
    const c = el('canvas', { id: 'chart-' + spec.id });
    c.addEventListener('mousemove', ev => {
      const gm = c.chartGeom; if (!gm) return;
      const t = Math.round((ev.offsetX - gm.pad.l) / gm.pw * gm.ticks);
      S.hoverTick = t >= 1 && t <= gm.ticks ? t : null; drawCharts();
    });
    c.addEventListener('mouseleave', () => { S.hoverTick = null; drawCharts(); });
    box.append(c);
  }
}
function drawCharts() {
  const branches = S.branches.map(b => ({ name: b.name, color: b.color, rows: b.rows, events: b.events || [], ticks: b.ticks, forkedAt: b.forkedAt }));
  // A series drawn only where it means something (no aid line without aid teams); with
  // several branches, only each chart's headline series (the thick ones), so that branch A
  // against B reads at a glance (seven components × two branches did not).
  const several = S.branches.length > 1;
  const applies = s => (!s.when || S.branches.some(b => s.when(b.partners || []))) && (!several || s.width);
  S.shown = {}; // the series each chart draws, by chart id (read by tests/browser/serve.mjs)
  for (const spec of Charts.CHARTS) {
    const series = spec.series.filter(applies);
    S.shown[spec.id] = series.map(s => s.label);
    Charts.drawChart($('chart-' + spec.id), { ...spec, series }, branches, S.hoverTick);
  }
}

// ── Levers and events ────────────────────────────────────────────────────────────────────
// What each partner lever does (docs/MODEL.md has the equations), shown on hover.
const LEVER_TIPS = {
  sharing: 'with whom this partner shares the hotspots it knows — none; need to know: partners that field patrols, once it trusts them enough; open: every engaged partner it trusts enough',
  posture: 'restrained: about one detention per patrol a day and rare civilian harm; robust: more of both (more detained, and harm costs trust)',
  patrol_policy: 'uniform: patrols move at random within sight (Epstein\'s cops); hotspot: toward the nearest hotspot the partner knows (needs the analytics technology)',
  neutrality: 'independent: keeps its distance from the forces, no escorts, full credit from communities; coordinated: escorts lower the access bar and it shares openly, but communities credit its aid less',
  aid_policy: 'roam: aid teams move wherever access allows; need: toward hotspots the partner knows of',
};

function select(options, value, onchange) {
  const s = el('select', { onchange: () => onchange(s.value) });
  for (const o of options) s.append(el('option', { value: o, text: o.replace(/_/g, ' ') }));
  s.value = value;
  return s;
}
function slider(min, max, step, value) {
  const r = el('input', { type: 'range', min, max, step, value });
  const out = el('output', { text: value });
  r.addEventListener('input', () => { out.textContent = r.value; });
  return [r, out];
}

function renderLevers() {
  const box = $('levers');
  box.textContent = '';
  const b = S.branches[S.selected];
  if (!b) return;
  $('target-name').textContent = 'branch ' + b.name;
  // A change made now acts from the next day: until then the lever shows the chosen value,
  // marked with that day, not the value still in force (which would look like the click failed).
  const pending = (kind, partner, key) => {
    let found = null;
    for (const a of b.added || []) {
      if (a.tick > b.tick && a.kind === kind && (partner === null || a.partner === partner) && a[key] != null) found = a;
    }
    return found;
  };
  const fromDay = a => a ? el('small', { class: 'pending', text: ' from day ' + a.tick }) : '';
  const chosen = (kind, partner, key, now) => { const a = pending(kind, partner, key); return [a ? a[key] : now, fromDay(a)]; };
  const mission = el('div', { class: 'partner', 'data-partner': '(mission)' });
  mission.append(el('h4', {}, 'The mission ', el('small', { text: 'all partners' })));
  const [mech, mechNote] = chosen('coordination', null, 'mechanism', b.coordination);
  mission.append(el('label', { title: 'faster trust between partners and faster information, at a cost per partner and day; on the baseline it lifts partner trust far more than stability (docs/MODEL.md §3.11)' }, 'coordination',
    select(['none', 'liaison_officers', 'cimic_cell', 'integrated_hq'], mech, v => intervene({ kind: 'coordination', mechanism: v })), mechNote));
  box.append(mission);
  for (const p of b.partners) {
    const policy = (k, v) => intervene({ kind: 'policy', partner: p.name, [k]: v });
    const lever = (text, k, options) => {
      const [v, note] = chosen('policy', p.name, k, p[k]);
      return el('label', { title: LEVER_TIPS[k] || '' }, text, select(options, v, x => policy(k, x)), note);
    };
    const card = el('div', { class: 'partner' + (p.engaged ? '' : ' out'), 'data-partner': p.name });
    card.append(el('h4', {}, p.name + ' ', el('small', { text: p.kind.replace(/_/g, ' ') + (p.engaged ? '' : ' — not engaged') })));
    const units = Object.entries(p.units).map(([k, [n, op]]) => op + '/' + n + ' ' + k.replace('_', ' ') + 's operating').join(', ');
    card.append(el('div', { class: 'units', text: units || 'no units' }));
    // A partner that left for home politics (commitment below its threshold) would leave again
    // the day after a join: it has no levers left, and the card says why it is out.
    if (!p.engaged && p.commitment < p.withdraw_below) {
      card.append(el('div', { class: 'row' }, el('span', { class: 'note', text: 'left: home politics cut its commitment to ' + p.commitment.toFixed(2) + ', below its threshold ' + p.withdraw_below.toFixed(2) + ' (it cannot rejoin, so its levers are gone)' })));
      box.append(card);
      continue;
    }
    card.append(lever('information sharing', 'sharing', ['none', 'need_to_know', 'open']));
    // Only the levers that can change this partner (the scenario's validation refuses others).
    if (p.units.patrol) {
      card.append(lever('posture', 'posture', ['restrained', 'robust']));
      card.append(lever('patrols go', 'patrol_policy', ['uniform', 'hotspot']));
    }
    if (p.kind === 'ngo' || p.kind === 'local_organisation') card.append(lever('neutrality', 'neutrality', ['independent', 'coordinated']));
    if (p.units.aid_team) {
      card.append(lever('aid goes', 'aid_policy', ['roam', 'need']));
    }
    const tech = el('div', { class: 'row tech' }, el('span', { text: 'technology:' }));
    for (const t of TECH) {
      const coming = (b.added || []).find(a => a.tick > b.tick && a.kind === 'technology' && a.partner === p.name && a.technology === t);
      const has = p.technology.includes(t) || !!coming;
      const cb = el('input', { type: 'checkbox', title: coming ? 'deployed from day ' + coming.tick + ' (cannot be undone)' : has ? 'deployed (cannot be undone)' : 'deploy from the next day' });
      cb.checked = has; cb.disabled = has;
      cb.addEventListener('change', () => intervene({ kind: 'technology', partner: p.name, technology: t }));
      tech.append(el('label', {}, cb, t.replace(/_/g, ' ')));
    }
    card.append(tech);
    const funding = pending('funding', p.name, 'amount');
    const [fund, fundOut] = slider(0, 2, 0.05, funding ? funding.amount : 1);
    card.append(el('label', { title: 'multiplies this partner\'s resupply (and budget) from the next day: below 1 its stock runs down and units stop operating when it is empty; above 1 it refills faster' }, 'funding ×', fund, fundOut,
      el('button', { onclick: () => intervene({ kind: 'funding', partner: p.name, amount: Number(fund.value) }), text: 'apply' }), fromDay(funding)));
    const fielded = Object.values(p.units).reduce((s, [n]) => s + n, 0);
    if (fielded > 0 && p.engaged) {
      const [share, shareOut] = slider(0.05, 0.95, 0.05, 0.25);
      card.append(el('label', { title: 'a partial drawdown: this share of its units goes home (join brings them back)' }, 'send home (share)', share, shareOut,
        el('button', { onclick: () => intervene({ kind: 'withdraw', partner: p.name, amount: Number(share.value) }), text: 'apply' })));
    }
    card.append(el('div', { class: 'row' }, p.engaged
      ? el('button', { title: 'the whole partner leaves from the next day: its units stop and what it knows goes with it', onclick: () => intervene({ kind: 'withdraw', partner: p.name }), text: 'withdraw ' + p.name })
      : el('button', { onclick: () => intervene({ kind: 'join', partner: p.name }), text: 'join the mission' })));
    box.append(card);
  }
}

const EVENT_FORMS = {
  withdraw: { partner: true },
  funding: { partner: true, amount: ['resupply ×', 0, 1, 0.05, 0.5] },
  attack: { district: 'required', amount: ['severity (0–10)', 0, 10, 0.5, 5] },
  election: { district: 'optional', amount: ['threshold drop', 0, 1, 0.05, 0.2], duration: true },
  disaster: { district: 'optional', amount: ['hardship +', 0, 1, 0.05, 0.3] },
};
function eventForm() {
  const f = EVENT_FORMS[$('ev-kind').value];
  $('ev-partner-l').hidden = !f.partner;
  $('ev-district-l').hidden = !f.district;
  $('ev-amount-l').hidden = !f.amount;
  $('ev-duration-l').hidden = !f.duration;
  const ds = $('ev-district');
  ds.textContent = '';
  if (f.district === 'optional') ds.append(el('option', { value: '', text: 'everywhere' }));
  for (const d of (S.info ? S.info.districts : [])) ds.append(el('option', { value: d, text: d }));
  if (f.amount) {
    const [name, min, max, step, v] = f.amount, a = $('ev-amount');
    $('ev-amount-name').textContent = name;
    a.min = min; a.max = max; a.step = step; a.value = v; $('ev-amount-out').textContent = v;
  }
}
function injectEvent() {
  const kind = $('ev-kind').value, f = EVENT_FORMS[kind];
  const iv = { kind };
  if (f.partner) iv.partner = $('ev-partner').value;
  if (f.district && $('ev-district').value) iv.district = $('ev-district').value;
  if (f.amount) iv.amount = Number($('ev-amount').value);
  if (f.duration) iv.duration = Number($('ev-duration').value);
  intervene(iv);
}

// ── Branch table and exports ─────────────────────────────────────────────────────────────
function describe(iv) {
  const parts = [iv.kind.replace(/_/g, ' ')];
  for (const k of ['partner', 'district', 'technology', 'sharing', 'posture', 'patrol_policy', 'neutrality', 'aid_policy', 'mechanism']) if (iv[k]) parts.push(iv[k].replace(/_/g, ' '));
  if (iv.amount !== undefined) parts.push(String(iv.amount));
  if (iv.duration) parts.push(iv.duration + ' days');
  return 'day ' + iv.tick + ': ' + parts.join(' ');
}
function renderBranches() {
  const box = $('branches');
  box.textContent = '';
  const t = el('table');
  t.append(el('tr', {}, el('th', { text: 'branch' }), el('th', { text: 'changes made here' }), el('th', { text: 'export (runs with peacesim run)' })));
  S.branches.forEach((b, i) => {
    const radio = el('input', { type: 'radio', name: 'sel', title: 'levers and events act on this branch' });
    radio.checked = i === S.selected;
    radio.addEventListener('change', () => { S.selected = i; render(); });
    const who = el('td', {}, radio, el('b', { text: ' ' + b.name }), el('div', { text: 'seed ' + b.seed + (b.forkedAt != null ? ', forked at day ' + b.forkedAt : '') + ', day ' + b.tick }));
    who.style.color = b.color;
    const changes = el('td', { text: b.added.length ? b.added.map(describe).join('; ') : 'none' });
    const base = '/api/sessions/' + b.id;
    const ex = el('td', {},
      el('a', { href: base + '/export.toml', download: '', class: 'export-toml', text: 'scenario.toml' }),
      el('a', { href: base + '/timeseries.csv', download: '', text: 'timeseries.csv' }),
      el('a', { href: base + '/districts.csv', download: '', text: 'districts.csv' }),
      el('a', { href: base + '/partners.csv', download: '', text: 'partners.csv' }));
    if (i > 0) ex.append(el('button', { text: 'close', onclick: () => { navigator.sendBeacon(base + '/close'); S.branches.splice(i, 1); S.branches.forEach((x, j) => { x.name = NAMES[j]; x.color = COLORS[j]; }); S.selected = 0; buildMaps(); render(); } }));
    t.append(el('tr', {}, who, changes, ex));
  });
  box.append(t);
}

// ── Putting it together ──────────────────────────────────────────────────────────────────
function buildStatic() {
  buildMaps();
  const ps = $('ev-partner');
  ps.textContent = '';
  for (const p of S.branches[0].partners) ps.append(el('option', { value: p.name, text: p.name }));
  eventForm();
  const info = S.info;
  $('fixed-note').textContent = 'Set in the scenario file, not yet a lever here: the logistics pool (' + (info.pooled.join(', ') || 'none') +
    '). Patrol counts change with “send home share” (a partial drawdown) and “join”. ' + (info.description || '');
}

function render() {
  const b = S.branches[S.selected];
  $('clock').textContent = b ? 'day ' + b.tick + ' of ' + b.ticks : 'day 0';
  S.branches.forEach((x, i) => { if (x.wrap) x.wrap.classList.toggle('selected', i === S.selected && S.branches.length > 1); drawMap(x); });
  mapLegend();
  drawCharts();
  renderLevers();
  renderBranches();
  updateButtons();
}

async function init() {
  buildCharts();
  const list = await api('GET', '/api/scenarios');
  const sel = $('scenario');
  const bundled = new Set(list.bundled.map(b => '<bundled>/' + b.name + '.toml'));
  if (!bundled.has(list.default)) sel.append(el('option', { value: list.default, text: list.default }));
  for (const b of list.bundled) sel.append(el('option', { value: b.name, text: b.name + ' — ' + b.title }));
  sel.value = bundled.has(list.default) ? list.default.replace('<bundled>/', '').replace('.toml', '') : list.default;
  $('setup').addEventListener('click', () => guarded(() => setup()));
  $('step').addEventListener('click', () => guarded(() => step(1)));
  $('play').addEventListener('click', () => { if (S.playing) stopPlay(); else play(); });
  $('reset').addEventListener('click', reset);
  $('fork').addEventListener('click', fork);
  $('scenario').addEventListener('change', () => { $('seed').value = ''; });
  $('speed').addEventListener('input', () => { $('speed-out').textContent = $('speed').value; });
  $('ev-kind').addEventListener('change', eventForm);
  $('ev-amount').addEventListener('input', () => { $('ev-amount-out').textContent = $('ev-amount').value; });
  $('ev-go').addEventListener('click', injectEvent);
  $('upload').addEventListener('change', async () => {
    const f = $('upload').files[0];
    if (!f) return;
    const text = await f.text();
    await guarded(async () => {
      await setup({ text, name: f.name });
      // Only an upload that started is kept, as the picker's entry for that file.
      const key = 'upload:' + f.name;
      S.uploads[key] = { text, name: f.name };
      const sel = $('scenario');
      if (![...sel.options].some(o => o.value === key)) sel.append(el('option', { value: key, text: f.name + ' (uploaded)' }));
      sel.value = key;
    });
    $('upload').value = '';
  });
  window.addEventListener('resize', drawCharts);
  window.addEventListener('pagehide', closeAll);
  // An open page keeps its simulations; a closed one's are dropped after the idle time.
  S.pinger = setInterval(() => S.branches.forEach(b => fetch('/api/sessions/' + b.id + '/ping', { method: 'POST' })), 60000);
  await guarded(() => setup());
  S.ready = true;
}

init();

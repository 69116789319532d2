// Load test of the classroom view: N simulations playing at once on loopback, as N pages
// would at full speed (each asks for K days per request, the next request as soon as the last
// answer arrives, agents and rows included as the page gets them). Prints days per second per
// simulation and request latencies. Bounded: every session stops at its scenario's last day.
//
//   node benches/serve-load.mjs URL [SESSIONS=20] [DAYS_PER_REQUEST=8] [SCENARIO=baseline]
const [url, n = '20', k = '8', scenario = 'baseline'] = process.argv.slice(2);
if (!url) { console.error('usage: node serve-load.mjs URL [SESSIONS] [DAYS_PER_REQUEST] [SCENARIO]'); process.exit(2); }
const base = url.replace(/\/$/, '');
const post = async (path, body) => {
  const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : '' });
  const j = await r.json();
  if (!r.ok) throw new Error(path + ': ' + j.error);
  return j;
};
const latencies = [];
async function play(i) {
  const s = await post('/api/sessions', { scenario });
  const t0 = performance.now();
  let tick = 0, rows = 0;
  while (tick < s.ticks) {
    const q0 = performance.now();
    const d = await post(`/api/sessions/${s.id}/step?n=${k}&since=${rows}`);
    latencies.push(performance.now() - q0);
    tick = d.tick; rows += d.rows.length;
  }
  const secs = (performance.now() - t0) / 1000;
  await post(`/api/sessions/${s.id}/close`);
  return { i, days: tick, secs, perSec: tick / secs };
}
const t0 = performance.now();
const res = await Promise.all(Array.from({ length: Number(n) }, (_, i) => play(i)));
const wall = (performance.now() - t0) / 1000;
const q = (a, p) => { const s = a.slice().sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const rates = res.map(r => r.perSec);
console.log(`${n} simulations of ${scenario}, ${k} days per request: all done in ${wall.toFixed(1)} s`);
console.log(`days/s per simulation: min ${Math.min(...rates).toFixed(1)}, median ${q(rates, 0.5).toFixed(1)}, max ${Math.max(...rates).toFixed(1)}; all together ${(res.reduce((s, r) => s + r.days, 0) / wall).toFixed(0)} days/s`);
console.log(`request latency (ms): median ${q(latencies, 0.5).toFixed(1)}, p95 ${q(latencies, 0.95).toFixed(1)}, max ${Math.max(...latencies).toFixed(1)} over ${latencies.length} requests`);

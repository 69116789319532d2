// Line charts on <canvas>, drawn by hand (no library, no network): one chart per measure
// group, every branch on the same axes (branch A solid, B dashed, C dotted), event markers as
// labelled vertical lines in the colour of the branch that has them.
'use strict';

const DASHES = [[], [7, 4], [2, 3], [10, 3, 2, 3]];

// The charts the page shows: title, y-axis label, and the series (value from a tick row; `when`,
// if given, says from the partners whether the series means anything in this scenario).
const CHARTS = [
  {
    id: 'stability', title: 'Stability and its components', y: 'share (0–1)',
    series: [
      { label: 'stability', color: '#111111', width: 2.6, v: r => r.stability },
      { label: 'calm', color: '#d7191c', v: r => r.calm },
      { label: 'liberty', color: '#7b3294', v: r => r.liberty },
      { label: 'consent (trust)', color: '#1a9641', v: r => r.trust },
      { label: 'security', color: '#2c7bb6', v: r => r.security_coverage },
      { label: 'safety (1 − spoilers)', color: '#e08214', v: r => 1 - r.spoiler_strength },
      { label: 'settled (1 − displaced)', color: '#777777', v: r => r.settled },
    ],
  },
  {
    id: 'trust', title: 'Trust', y: 'mean trust (0–1)',
    series: [
      { label: 'citizens in the mission', color: '#1a9641', width: 2.2, v: r => r.trust },
      // Only where there are partners to trust each other (not in Epstein's one-force world).
      { label: 'between partners', color: '#8c510a', v: r => r.partner_trust, when: ps => ps.length >= 2 },
    ],
  },
  {
    id: 'coverage', title: 'Coverage', y: 'share of citizens (0–1)',
    series: [
      { label: 'security (free with a patrol in sight)', color: '#2c7bb6', width: 2.2, v: r => r.security_coverage },
      { label: 'aid (last 30 days)', color: '#f0a000', width: 2.2, v: r => r.aid_coverage, when: ps => ps.some(p => p.units.aid_team) },
      { label: 'hotspots known', color: '#5e3c99', v: r => r.info_coverage },
    ],
  },
  {
    id: 'unrest', title: 'Citizens active and detained', y: 'share of population',
    series: [
      { label: 'active', color: '#d7191c', width: 2.2, v: r => r.active / Math.max(1, r.population) },
      { label: 'detained', color: '#404040', v: r => r.detained / Math.max(1, r.population) },
    ],
  },
];

// Draw one chart. branches: [{name, rows, events, ticks}]; hoverTick: tick under the mouse.
function drawChart(canvas, spec, branches, hoverTick) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  g.fillStyle = '#fff'; g.fillRect(0, 0, w, h);
  const legendH = legendHeight(g, spec, branches, w);
  const pad = { l: 52, r: 14, t: 26 + legendH, b: 34 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  // The x axis grows with the run (as NetLogo's plots do), up to the scenario's last day.
  const last = Math.max(1, ...branches.map(b => b.ticks));
  const shown = Math.max(0, ...branches.map(b => b.rows.length));
  const ticks = Math.min(last, Math.max(50, Math.ceil(shown * 1.15 / 25) * 25));
  // The y range: 0–1 for shares, tightened to the data when it all sits low (unrest).
  let top = 1;
  if (spec.id === 'unrest') {
    let m = 0.05;
    for (const b of branches) for (const r of b.rows) for (const s of spec.series) m = Math.max(m, s.v(r));
    top = [0.1, 0.2, 0.4, 0.6, 0.8, 1].find(t => t >= m * 1.1) || 1;
  }
  const X = t => pad.l + (t / ticks) * pw;
  const Y = v => pad.t + ph - (v / top) * ph;
  g.font = 'bold 14px sans-serif'; g.fillStyle = '#111'; g.textBaseline = 'top';
  g.fillText(spec.title, pad.l, 6);
  // Axes and grid.
  g.font = '11px sans-serif'; g.textBaseline = 'middle'; g.textAlign = 'right';
  for (let i = 0; i <= 4; i++) {
    const v = top * i / 4, y = Y(v);
    g.strokeStyle = i === 0 ? '#888' : '#e4e4e4'; g.lineWidth = 1;
    g.beginPath(); g.moveTo(pad.l, y); g.lineTo(pad.l + pw, y); g.stroke();
    g.fillStyle = '#444'; g.fillText(String(+v.toFixed(2)), pad.l - 5, y);
  }
  g.textAlign = 'center'; g.textBaseline = 'top';
  const step = niceStep(ticks);
  for (let t = 0; t <= ticks; t += step) {
    g.fillStyle = '#444'; g.fillText(String(t), X(t), pad.t + ph + 4);
  }
  g.fillText('day', pad.l + pw / 2, pad.t + ph + 18);
  g.save(); g.translate(12, pad.t + ph / 2); g.rotate(-Math.PI / 2);
  g.fillText(spec.y, 0, -6); g.restore();
  // Event markers (under the lines).
  branches.forEach((b, bi) => {
    // One marker per day: events of the same day share one line and one label (joined with
    // ' · '), cut to the plot's height so it never runs over the day numbers.
    const byDay = new Map();
    for (const e of b.events) {
      if (bi > 0 && branches[0].events.some(a => a.tick === e.tick && a.label === e.label)) continue;
      const labels = byDay.get(e.tick) || [];
      if (!labels.includes(e.label)) labels.push(e.label);
      byDay.set(e.tick, labels);
    }
    for (const [tick, labels] of byDay) {
      const x = X(tick);
      g.strokeStyle = bi === 0 ? '#999' : b.color; g.lineWidth = 1; g.setLineDash([3, 3]);
      g.beginPath(); g.moveTo(x, pad.t); g.lineTo(x, pad.t + ph); g.stroke(); g.setLineDash([]);
      // Branch A's labels right of the line, the forks' left of it (same-day events stay legible).
      g.save(); g.translate(bi === 0 ? x + 3 : x - 3, pad.t + 2); g.rotate(Math.PI / 2);
      g.font = '10px sans-serif'; g.textAlign = 'left'; g.textBaseline = bi === 0 ? 'bottom' : 'top';
      g.fillStyle = bi === 0 ? '#555' : b.color;
      let text = (bi > 0 ? b.name + ': ' : '') + labels.join(' · ');
      while (text.length > 2 && g.measureText(text).width > ph - 6) text = text.slice(0, -2) + '…';
      g.fillText(text, 0, 0); g.restore();
    }
    if (b.forkedAt != null && bi > 0) {
      const x = X(b.forkedAt);
      g.strokeStyle = b.color; g.lineWidth = 1.5;
      g.beginPath(); g.moveTo(x, pad.t + ph); g.lineTo(x, pad.t + ph - 8); g.stroke();
    }
  });
  // Lines.
  g.save(); g.beginPath(); g.rect(pad.l, pad.t - 1, pw, ph + 2); g.clip();
  branches.forEach((b, bi) => {
    g.setLineDash(DASHES[bi % DASHES.length]);
    for (const s of spec.series) {
      if (b.rows.length === 0) continue;
      g.strokeStyle = s.color; g.lineWidth = s.width || 1.3;
      g.beginPath();
      b.rows.forEach((r, i) => { const x = X(r.tick), y = Y(s.v(r)); i ? g.lineTo(x, y) : g.moveTo(x, y); });
      g.stroke();
    }
  });
  g.restore(); g.setLineDash([]);
  // The tick under the mouse: a cursor line and the values.
  if (hoverTick != null && hoverTick >= 1) {
    const x = X(hoverTick);
    g.strokeStyle = '#333'; g.lineWidth = 0.8;
    g.beginPath(); g.moveTo(x, pad.t); g.lineTo(x, pad.t + ph); g.stroke();
    const lines = [];
    branches.forEach(b => {
      const r = b.rows[hoverTick - 1];
      if (r) lines.push(b.name + ' day ' + hoverTick + ': ' + spec.series.map(s => s.label.split(' ')[0] + ' ' + s.v(r).toFixed(3)).join(', '));
    });
    g.font = '11px sans-serif'; g.textAlign = 'left'; g.textBaseline = 'top';
    const bw = Math.max(...lines.map(l => g.measureText(l).width), 0) + 10;
    const bx = Math.min(Math.max(pad.l, x + 8), w - bw - 2);
    lines.forEach((l, i) => {
      g.fillStyle = 'rgba(255,255,255,0.92)'; g.fillRect(bx, pad.t + 4 + i * 15, bw, 15);
      g.fillStyle = '#111'; g.fillText(l, bx + 5, pad.t + 6 + i * 15);
    });
  }
  drawLegend(g, spec, branches, pad.l, 26, w - pad.r);
  canvas.chartGeom = { X, pad, pw, ticks };
}

function legendItems(spec, branches) {
  const items = spec.series.map(s => ({ label: s.label, color: s.color, dash: [], width: s.width || 1.3 }));
  if (branches.length > 1) branches.forEach((b, i) => items.push({ label: 'branch ' + b.name, color: '#333', dash: DASHES[i % DASHES.length], width: 1.5, branch: b }));
  return items;
}

function legendHeight(g, spec, branches, w) {
  g.font = '12px sans-serif';
  let x = 52, rows = 1;
  for (const it of legendItems(spec, branches)) {
    const iw = 30 + g.measureText(it.label).width + 14;
    if (x + iw > w - 14 && x > 52) { x = 52; rows++; }
    x += iw;
  }
  return rows * 17 + 4;
}

function drawLegend(g, spec, branches, x0, y0, right) {
  g.font = '12px sans-serif'; g.textAlign = 'left'; g.textBaseline = 'middle';
  let x = x0, y = y0 + 8;
  for (const it of legendItems(spec, branches)) {
    const iw = 30 + g.measureText(it.label).width + 14;
    if (x + iw > right && x > x0) { x = x0; y += 17; }
    g.strokeStyle = it.color; g.lineWidth = it.width; g.setLineDash(it.dash);
    g.beginPath(); g.moveTo(x, y); g.lineTo(x + 24, y); g.stroke(); g.setLineDash([]);
    g.fillStyle = it.branch ? it.branch.color : '#222';
    g.fillText(it.label, x + 28, y);
    x += iw;
  }
}

function niceStep(ticks) {
  for (const s of [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000]) if (ticks / s <= 8) return s;
  return Math.ceil(ticks / 8);
}

window.Charts = { CHARTS, drawChart };

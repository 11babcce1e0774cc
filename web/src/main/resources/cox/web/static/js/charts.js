// Charts of the runs' curves: one uPlot chart per metric, runs overlaid or grouped into a mean and
// a band. Smoothing is TensorBoard's debiased EMA, on the full series (the server smooths the
// curves it had to downsample, before downsampling).
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import {h, fill} from './dom.js';
import {short} from './text.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
  '#bcbd22', '#17becf'];

/** The i-th of n colours: a qualitative palette for few curves, hues around the wheel for many. */
export function color(i, n) {
  if (n <= PALETTE.length) return PALETTE[i % PALETTE.length];
  return `hsl(${Math.round((i * 137.508) % 360)}, 62%, ${i % 2 ? 40 : 50}%)`;
}

/** TensorBoard's smoothing: s = s*w + (1-w)*v, debiased by 1 - w^k; values that are not finite pass through. */
export function ema(values, w) {
  const out = new Float64Array(values.length);
  let last = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    k++;
    out[i] = w === 0 ? last : last / (1 - Math.pow(w, k));
  }
  return out;
}

function increasing(x) {
  for (let i = 1; i < x.length; i++) if (!(x[i] > x[i - 1])) return false;
  return true;
}

function sameValues(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function allDrawable(y, log) {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!(v - v === 0) || (log && !(v > 0))) return false;
  }
  return true;
}

function lowerBound(xs, v) {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Puts curves [{x, y}] on one x axis, as uPlot wants: the union of their x (sorted, unique) and each
 * y as an array over it with null where the curve has no point. NaN (and, on a log scale, values
 * that are not positive) become null: gaps, not zeros.
 */
export function align(curves, log) {
  const clean = (v) => (Number.isFinite(v) && (!log || v > 0) ? v : null);
  if (curves.length === 0) return {xs: [], ys: []};
  const x0 = curves[0].x;
  if (increasing(x0) && curves.every((c) => sameValues(c.x, x0))) {
    // the common case (every run logged the same epochs): the arrays are used as they are, unless
    // a value needs to become a gap
    return {xs: x0, ys: curves.map((c) => (allDrawable(c.y, log) ? c.y : Array.from(c.y, clean)))};
  }
  let total = 0;
  for (const c of curves) total += c.x.length;
  const all = new Float64Array(total);
  let k = 0;
  for (const c of curves) {
    all.set(c.x, k);
    k += c.x.length;
  }
  all.sort();
  const xs = [];
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) xs.push(all[i]);
  const ys = curves.map((c) => {
    const out = new Array(xs.length).fill(null);
    for (let i = 0; i < c.x.length; i++) out[lowerBound(xs, c.x[i])] = clean(c.y[i]);
    return out;
  });
  return {xs, ys};
}

/**
 * Per x: the mean of the members' values there and the band (min–max, ± std, ± std error), and
 * how many members have a value there. Where fewer than two of a group of several still have a
 * point (the others stopped, or crashed) nothing is drawn: the mean of the survivors alone would
 * look like the group's. A group of one run is that run.
 */
export function groupStats(ys, band) {
  const n = ys[0].length;
  const least = ys.length > 1 ? 2 : 1;
  const mean = new Array(n).fill(null);
  const lo = new Array(n).fill(null);
  const hi = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const y of ys) {
      const v = y[i];
      if (v !== null) {
        count++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    if (count < least) continue;
    const m = sum / count;
    mean[i] = m;
    if (band === 'minmax') {
      lo[i] = min;
      hi[i] = max;
    } else {
      let ss = 0;
      for (const y of ys) if (y[i] !== null) ss += (y[i] - m) * (y[i] - m);
      const sd = count > 1 ? Math.sqrt(ss / (count - 1)) : 0;
      const d = band === 'sem' ? sd / Math.sqrt(count) : sd;
      lo[i] = m - d;
      hi[i] = m + d;
    }
  }
  return {mean, lo, hi};
}

function alpha(c, a) {
  if (c.startsWith('#')) {
    const v = parseInt(c.slice(1), 16);
    return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${a})`;
  }
  return c.replace('hsl(', 'hsla(').replace(')', `, ${a})`);
}

/**
 * The chart panel. draw(model) makes one chart per metric; a model with the same curves as the
 * last one (only new points) updates the charts in place and keeps their zoom.
 */
export class Charts {
  constructor(el) {
    this.el = el;
    this.charts = new Map();
    this.width = 0;
    new ResizeObserver(() => {
      const w = this.chartWidth();
      if (Math.abs(w - this.width) > 4) {
        this.width = w;
        for (const c of this.charts.values()) c.u.setSize({width: w, height: c.height});
      }
    }).observe(el);
  }

  chartWidth() {
    const w = this.el.clientWidth || 900;
    const n = Math.max(1, this.count || 3);
    const cols = Math.min(n, w > 1300 ? 3 : w > 760 ? 2 : 1);
    return Math.floor((w - (cols - 1) * 12) / cols) - 22;
  }

  clear(message) {
    for (const c of this.charts.values()) c.u.destroy();
    this.charts.clear();
    fill(this.el, message ? h('p', {class: 'hint'}, message) : null);
  }

  /**
   * model: {metrics: [{name, goal}], curves: [{id, label, color, data: {metric: {x, y}}}],
   *   log, group: null | {band, groups: [{label, color, members: [curve index]}]}, xLabel, key}
   */
  draw(model) {
    this.count = model.metrics.length;
    const width = this.chartWidth();
    this.width = width;
    const keep = new Set();
    this.timings = {buildMs: 0, plotMs: 0};
    for (const metric of model.metrics) {
      keep.add(metric.name);
      const t0 = performance.now();
      const built = this.build(model, metric.name);
      const t1 = performance.now();
      this.timings.buildMs += t1 - t0;
      let c = this.charts.get(metric.name);
      if (c && c.key === built.key && c.log === model.log) {
        if (Math.abs(c.u.width - width) > 4) c.u.setSize({width, height: c.height});
        c.u.setData(built.data, !c.zoomed);
        c.labels = built.labels;
        c.colors = built.colors;
        mark(c.card, built);
        this.timings.plotMs += performance.now() - t1;
        continue;
      }
      let zoom = null;
      if (c) {
        if (c.zoomed) zoom = {min: c.u.scales.x.min, max: c.u.scales.x.max};
        c.u.destroy();
        c.card.remove();
      }
      c = this.create(metric, built, model, width);
      if (zoom) {
        c.u.setScale('x', zoom);
        c.zoomed = true;
      }
      this.charts.set(metric.name, c);
      this.timings.plotMs += performance.now() - t1;
    }
    for (const [name, c] of this.charts) {
      if (!keep.has(name)) {
        c.u.destroy();
        c.card.remove();
        this.charts.delete(name);
      }
    }
    // keep the cards in the metrics' order
    for (const metric of model.metrics) this.el.appendChild(this.charts.get(metric.name).card);
    const hint = this.el.querySelector('.hint');
    if (hint) hint.remove();
  }

  build(model, metric) {
    const curves = [];
    for (const c of model.curves) {
      const d = c.data[metric];
      if (d) curves.push({x: d.x, y: d.y, c});
    }
    const {xs, ys} = align(curves, model.log);
    const series = [{}];
    const data = [xs];
    const labels = [null];
    const bands = [];
    const many = curves.length > 20;
    if (model.group) {
      for (const g of model.group.groups) {
        const members = [];
        curves.forEach((cv, i) => { if (g.members.has(cv.c.id)) members.push(ys[i]); });
        if (members.length === 0) continue;
        const st = groupStats(members, model.group.band);
        const base = data.length;
        data.push(st.mean, st.hi, st.lo);
        labels.push(`${g.label} (n=${members.length})`, null, null);
        // no spanGaps: where fewer than two runs have a point the mean is not drawn, and not bridged either
        series.push({label: g.label, stroke: g.color, width: 2, points: {show: false}, spanGaps: false},
          {label: g.label + ' hi', stroke: 'transparent', width: 0, points: {show: false}, spanGaps: false},
          {label: g.label + ' lo', stroke: 'transparent', width: 0, points: {show: false}, spanGaps: false});
        bands.push({series: [base + 1, base + 2], fill: alpha(g.color, 0.18)});
      }
    } else {
      curves.forEach((cv, i) => {
        data.push(ys[i]);
        labels.push(cv.c.label);
        series.push({label: cv.c.label, stroke: many ? alpha(cv.c.color, 0.75) : cv.c.color,
          width: many ? 1 : 1.5, points: {show: false}, spanGaps: true});
      });
    }
    const key = model.key + '|' + series.map((s) => s.label + s.stroke).join(',');
    const colors = series.map((x) => x.stroke || null);
    return {data, series, bands, labels, colors, key, n: curves.length, drawn: labels.filter((l) => l !== null).length};
  }

  create(metric, built, model, width) {
    const title = h('span', {class: 'c-title'}, metric.name);
    const info = h('span', {class: 'c-info'});
    const tip = h('div', {class: 'c-tip'});
    const note = model.notes && model.notes[metric.name];
    const card = h('div', {class: 'chart-card', 'data-metric': metric.name},
      h('div', {class: 'c-head'}, title, info), tip, note ? h('div', {class: 'c-note'}, note) : null);
    this.el.appendChild(card);
    const c = {card, key: built.key, log: model.log, zoomed: false, labels: built.labels, colors: built.colors, height: 230,
      focus: -1};
    const opts = {
      width,
      height: c.height,
      series: built.series,
      bands: built.bands,
      legend: {show: false},
      scales: {x: {time: false}, y: {distr: model.log ? 3 : 1}},
      axes: [
        {stroke: '#555', grid: {stroke: '#eceff3'}, ticks: {stroke: '#d0d5dc'}, label: model.xLabel, labelSize: 18,
          labelFont: '12px system-ui, sans-serif', font: '11px system-ui, sans-serif'},
        {stroke: '#555', grid: {stroke: '#eceff3'}, ticks: {stroke: '#d0d5dc'}, size: 56,
          font: '11px system-ui, sans-serif', values: (u, vals) => vals.map(short)},
      ],
      cursor: {
        points: {show: false},
        focus: {prox: 24},
        drag: {x: true, y: false, setScale: true},
        sync: {key: 'cox-charts', setSeries: false},
      },
      focus: {alpha: built.n > 20 ? 0.15 : 0.35},
      hooks: {
        setSeries: [(u, i, o) => { if (o && o.focus !== undefined) c.focus = o.focus ? i : -1; }],
        setCursor: [(u) => showTip(u, c, tip)],
        setSelect: [(u) => { if (u.select.width > 0) c.zoomed = true; }],
      },
    };
    c.u = new uPlot(opts, built.data, card);
    c.u.over.addEventListener('dblclick', () => { c.zoomed = false; });
    c.u.over.addEventListener('mouseleave', () => { tip.textContent = ''; tip.classList.remove('on'); });
    info.textContent = built.n + (built.n === 1 ? ' run' : ' runs');
    mark(card, built);
    return c;
  }
}

/** What a chart shows, for a reader of the page's DOM (and the browser tests): curves and x values drawn. */
function mark(card, built) {
  card.dataset.series = String(built.drawn);
  card.dataset.points = String(built.data[0].length);
}

/** How many series the tooltip lists at most; the rest are counted. */
const TIP_SERIES = 15;

/**
 * The tooltip: every series with a value at the cursor's x, highest first (the focused one, or the
 * one nearest the cursor, marked), then how many more there are.
 */
function showTip(u, c, tip) {
  const idx = u.cursor.idx;
  if (idx === null || idx === undefined) {
    tip.classList.remove('on');
    return;
  }
  let near = c.focus;
  const y = u.posToVal(u.cursor.top, 'y');
  const here = [];
  let best = Infinity;
  for (let i = 1; i < u.data.length; i++) {
    const v = u.data[i][idx];
    if (v === null || v === undefined || !c.labels[i]) continue;
    here.push({i, v});
    if (!(c.focus >= 1 && c.labels[c.focus]) && Math.abs(v - y) < best) {
      best = Math.abs(v - y);
      near = i;
    }
  }
  if (here.length === 0) {
    tip.classList.remove('on');
    return;
  }
  here.sort((a, b) => b.v - a.v);
  const shown = here.length > TIP_SERIES ? here.filter((s, k) => k < TIP_SERIES - 1 || s.i === near).slice(0, TIP_SERIES) : here;
  const lines = [h('div', {class: 'tip-x'}, `@ ${short(u.data[0][idx])}`)];
  for (const s of shown) {
    lines.push(h('div', {class: 'tip-row' + (s.i === near ? ' near' : '')},
      h('span', {class: 'sw', style: {background: c.colors[s.i] || '#888'}}),
      `${c.labels[s.i]}: ${short(s.v)}`));
  }
  if (here.length > shown.length) lines.push(h('div', {class: 'tip-more'}, `and ${here.length - shown.length} more`));
  fill(tip, lines);
  tip.dataset.series = String(here.length);
  tip.classList.add('on');
}

// Parallel coordinates on a canvas: one vertical axis per parameter and one for a metric summary,
// one line per run, coloured by the metric. Dragging along an axis keeps a range (a brush); the
// ranges become a filter expression in the grammar of the filter box.
import {h} from './dom.js';
import {short, pyStr} from './text.js';

const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]]; // viridis

function ramp(t) {
  t = Math.max(0, Math.min(1, t));
  const x = t * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const c = STOPS[i].map((v, k) => Math.round(v + f * (STOPS[i + 1][k] - v)));
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, 0.55)`;
}

/** How far below an axis' foot its "missing" tick is, in pixels. */
const MISSING_GAP = 16;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'missing', 'true', 'false', 'nan', 'inf']);

/** A column name as the filter grammar takes it: bare if it can be, else in backquotes. */
export function quoteName(name) {
  if (/^[A-Za-z_][A-Za-z0-9_.\-/:]*$/.test(name) && !KEYWORDS.has(name.toLowerCase())) return name;
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A string value for the filter grammar, in single quotes. */
export function quoteValue(s) {
  return "'" + String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t') + "'";
}

export class ParCoords {
  constructor(el, onRanges) {
    this.el = el;
    this.onRanges = onRanges;
    this.canvas = h('canvas', {'aria-label': 'parallel coordinates'});
    el.replaceChildren(this.canvas);
    this.ranges = new Map(); // axis id -> {lo, hi} in axis units (0..1 from bottom to top)
    this.model = null;
    this.drag = null;
    this.canvas.addEventListener('mousedown', (e) => this.down(e));
    window.addEventListener('mousemove', (e) => this.move(e));
    window.addEventListener('mouseup', (e) => this.up(e));
    new ResizeObserver(() => { if (this.model && !this.el.closest('[hidden]')) this.draw(this.model); }).observe(el);
  }

  clearRanges() {
    this.ranges.clear();
    this.onRanges([]);
  }

  draw(model) {
    this.model = model;
    const w = this.el.clientWidth || 900;
    const hgt = this.el.clientHeight || 380;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(hgt * dpr);
    this.canvas.style.width = w + 'px';
    this.canvas.style.height = hgt + 'px';
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const axes = model.axes;
    this.top = 40;
    this.bottom = hgt - 30;
    const left = 60;
    const right = w - 80;
    ctx.font = '12px system-ui, sans-serif';
    if (axes.length < 2 || model.runs.length === 0) {
      ctx.fillStyle = '#667085';
      ctx.fillText(axes.length < 2 ? 'Nothing to draw: the runs shown differ in no parameter (see Columns).' : 'No runs.', left, 60);
      this.scales = [];
      return;
    }
    const step = (right - left) / (axes.length - 1);
    this.scales = axes.map((a, i) => ({...a, x: left + i * step, ...this.scale(a, model.runs)}));
    const metricAxis = this.scales.find((s) => s.metric);
    // a run without a value on an axis (a parameter it lacks, a metric it never logged) goes through
    // the axis' "missing" tick below its foot, so its line is whole
    const missingY = this.bottom + MISSING_GAP;
    for (const s of this.scales) s.missing = 0;
    const pos = (s, r) => {
      const t = s.pos(r);
      return t === null ? missingY : this.bottom - t * (this.bottom - this.top);
    };
    for (const r of model.runs) for (const s of this.scales) if (s.pos(r) === null) s.missing++;
    this.canvas.dataset.missing = this.scales.filter((s) => s.missing).map((s) => `${s.name}=${s.missing}`).join(',');
    const inside = (r) => {
      for (const s of this.scales) {
        const rg = this.ranges.get(s.id);
        if (!rg) continue;
        const t = s.pos(r);
        if (t === null || t < rg.lo || t > rg.hi) return false;
      }
      return true;
    };
    const faded = [];
    const kept = [];
    const chosen = [];
    for (const r of model.runs) {
      if (!inside(r)) faded.push(r);
      else if (model.selected.has(r.exp_id)) chosen.push(r);
      else kept.push(r);
    }
    const line = (r) => {
      ctx.beginPath();
      let pen = false;
      for (const s of this.scales) {
        const y = pos(s, r);
        if (pen) ctx.lineTo(s.x, y);
        else ctx.moveTo(s.x, y);
        pen = true;
      }
      ctx.stroke();
    };
    ctx.lineWidth = 1;
    ctx.strokeStyle = 'rgba(160, 170, 185, 0.18)';
    for (const r of faded) line(r);
    for (const r of kept) {
      const t = metricAxis ? metricAxis.pos(r) : 0.5;
      ctx.strokeStyle = t === null ? 'rgba(120,120,120,0.4)' : ramp(metricAxis.goal === 'max' ? t : 1 - t);
      line(r);
    }
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = 'rgba(214, 40, 40, 0.9)';
    for (const r of chosen) line(r);
    // axes
    ctx.lineWidth = 1;
    for (const s of this.scales) {
      ctx.strokeStyle = '#475467';
      ctx.beginPath();
      ctx.moveTo(s.x, this.top);
      ctx.lineTo(s.x, this.bottom);
      ctx.stroke();
      const rg = this.ranges.get(s.id);
      if (rg) {
        ctx.fillStyle = 'rgba(47, 111, 223, 0.18)';
        ctx.strokeStyle = '#2f6fdf';
        const y1 = this.bottom - rg.hi * (this.bottom - this.top);
        const y2 = this.bottom - rg.lo * (this.bottom - this.top);
        ctx.fillRect(s.x - 9, y1, 18, y2 - y1);
        ctx.strokeRect(s.x - 9, y1, 18, y2 - y1);
      }
      if (s.missing) {
        ctx.save();
        ctx.setLineDash([2, 3]);
        ctx.beginPath();
        ctx.moveTo(s.x, this.bottom);
        ctx.lineTo(s.x, missingY);
        ctx.stroke();
        ctx.restore();
        ctx.beginPath();
        ctx.moveTo(s.x - 3, missingY);
        ctx.lineTo(s.x + 3, missingY);
        ctx.stroke();
        ctx.font = 'italic 11px system-ui, sans-serif';
        ctx.fillStyle = '#667085';
        ctx.textAlign = 'right';
        ctx.fillText('missing', s.x - 6, missingY + 4);
      }
      ctx.fillStyle = '#1d2330';
      ctx.textAlign = 'center';
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.fillText(s.name, s.x, this.top - 22);
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#667085';
      for (const [t, label] of s.ticks) {
        const y = this.bottom - t * (this.bottom - this.top);
        ctx.textAlign = 'right';
        ctx.fillText(label, s.x - 6, y + 4);
        ctx.beginPath();
        ctx.moveTo(s.x - 3, y);
        ctx.lineTo(s.x, y);
        ctx.stroke();
      }
    }
    ctx.textAlign = 'left';
  }

  /** An axis's mapping of a run to 0..1 (bottom..top) and its ticks. */
  scale(a, runs) {
    const values = runs.map(a.value);
    const numeric = (a.type === 'INT' || a.type === 'FLOAT') && values.every((v) => v === null || v === undefined || typeof v === 'number');
    if (numeric) {
      const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
      let lo = Math.min(...finite);
      let hi = Math.max(...finite);
      if (finite.length === 0) {
        lo = 0;
        hi = 1;
      }
      const log = lo > 0 && hi / lo >= 100;
      const f = log ? Math.log10 : (v) => v;
      let a0 = f(lo);
      let a1 = f(hi);
      if (a0 === a1) {
        a0 -= 0.5;
        a1 += 0.5;
      }
      const pos = (r) => {
        const v = a.value(r);
        return typeof v === 'number' && Number.isFinite(v) && (!log || v > 0) ? (f(v) - a0) / (a1 - a0) : null;
      };
      const ticks = [];
      for (let i = 0; i <= 4; i++) {
        const t = i / 4;
        const v = log ? Math.pow(10, a0 + t * (a1 - a0)) : a0 + t * (a1 - a0);
        ticks.push([t, short(v)]);
      }
      return {numeric: true, log, pos, ticks, invert: (t) => (log ? Math.pow(10, a0 + t * (a1 - a0)) : a0 + t * (a1 - a0))};
    }
    const absent = (r) => {
      const v = a.value(r);
      return v === null || v === undefined;
    };
    const cats = [...new Set(runs.filter((r) => !absent(r)).map(a.text))].sort();
    const index = new Map(cats.map((c, i) => [c, i]));
    const n = cats.length;
    const at = (i) => (n === 1 ? 0.5 : i / (n - 1));
    const pos = (r) => (absent(r) ? null : at(index.get(a.text(r))));
    const every = Math.max(1, Math.ceil(n / 12));
    const ticks = cats.map((c, i) => [at(i), c.length > 14 ? c.slice(0, 13) + '…' : c]).filter((_, i) => i % every === 0);
    return {numeric: false, pos, ticks, cats, at};
  }

  axisAt(x) {
    let best = null;
    for (const s of this.scales || []) if (Math.abs(s.x - x) < 16 && (!best || Math.abs(s.x - x) < Math.abs(best.x - x))) best = s;
    return best;
  }

  toT(e) {
    const r = this.canvas.getBoundingClientRect();
    const y = e.clientY - r.top;
    return Math.max(0, Math.min(1, (this.bottom - y) / (this.bottom - this.top)));
  }

  down(e) {
    const r = this.canvas.getBoundingClientRect();
    const s = this.axisAt(e.clientX - r.left);
    if (!s) return;
    e.preventDefault();
    this.drag = {s, from: this.toT(e), moved: false};
  }

  move(e) {
    if (!this.drag) return;
    const t = this.toT(e);
    if (Math.abs(t - this.drag.from) > 0.01) this.drag.moved = true;
    if (this.drag.moved) {
      this.ranges.set(this.drag.s.id, {lo: Math.min(t, this.drag.from), hi: Math.max(t, this.drag.from)});
      this.draw(this.model);
    }
  }

  up() {
    if (!this.drag) return;
    if (!this.drag.moved) this.ranges.delete(this.drag.s.id);
    this.drag = null;
    this.draw(this.model);
    this.onRanges([...this.ranges.keys()]);
  }

  /** The brushed ranges in the filter grammar: lr in [0.001, 0.01] and optimizer in ('adam', 'sgd'). */
  filterExpression() {
    const parts = [];
    for (const s of this.scales || []) {
      const rg = this.ranges.get(s.id);
      if (!rg) continue;
      const name = quoteName(s.metric ? s.name : s.id.slice(2));
      if (s.numeric) {
        const lo = Number(s.invert(rg.lo).toPrecision(6));
        const hi = Number(s.invert(rg.hi).toPrecision(6));
        parts.push(`${name} in [${lo}, ${hi}]`);
      } else {
        const picked = s.cats.filter((c, i) => s.at(i) >= rg.lo && s.at(i) <= rg.hi);
        const type = s.type;
        parts.push(`${name} in (${picked.map((c) => (type === 'BOOL' ? c.toLowerCase() : quoteValue(c))).join(', ')})`);
      }
    }
    return parts.join(' and ');
  }
}

export {pyStr};

// Values as text: Python's str() for numbers (as cox users read them), compact numbers for tables.

/** A double as Python's str(float) writes it: 0.1, 1e-05, 100.0, nan, inf. */
export function pyFloat(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const a = Math.abs(x);
  if (a >= 1e16 || a < 1e-4) {
    const [m, e] = x.toExponential().split('e');
    const n = Number(e);
    return m + 'e' + (n < 0 ? '-' : '+') + String(Math.abs(n)).padStart(2, '0');
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : s + '.0';
}

/** A cell of the given cox column type (FLOAT, INT, STR, BOOL, ...) as Python's str() writes it. */
export function pyStr(v, type) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return type === 'INT' ? String(v) : pyFloat(v);
  if (type === 'FLOAT' && (v === 'NaN' || v === 'Infinity' || v === '-Infinity')) return pyFloat(Number(v));
  return String(v);
}

/** A number from the API: numbers as they are, "NaN"/"Infinity"/"-Infinity" strings as numbers, anything else null. */
export function num(v) {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  return null;
}

/** A metric for a table cell: 4 significant digits, exponent for tiny and huge. */
export function short(v) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(4)));
}

/** A time as 2026-11-25 13:05:09 (local), or '' for -1. */
export function when(ms) {
  if (ms === null || ms === undefined || ms < 0) return '';
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "3 s ago", "5 min ago", ... */
export function ago(ms, now = Date.now()) {
  if (ms === null || ms === undefined || ms < 0) return '';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

/** One CSV field (RFC 4180 quoting). */
export function csvField(s) {
  s = s === null || s === undefined ? '' : String(s);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** 1234567 -> "1,234,567" */
export function count(n) {
  return n.toLocaleString('en-US');
}

/** Fills "lr-{lr}" from a run: {exp_id} and {param} as Python's str() writes them (as cox's tensorboard_view). */
export function formatName(format, run, paramTypes) {
  if (!format) return run.exp_id;
  return format.replace(/\{([^{}]*)\}/g, (all, name) => {
    if (name === 'exp_id') return run.exp_id;
    if (run.hasParam(name)) return pyStr(run.param(name), paramTypes.get(name));
    return '?';
  });
}

/** How many characters of an OBJECT cell's JSON a table cell shows; the whole JSON is in its tooltip. */
export const OBJECT_CHARS = 80;

/** Text cut to at most max characters, ending in "…" when cut (visibly: the whole text goes in a title). */
export function clip(s, max) {
  s = s === null || s === undefined ? '' : String(s);
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

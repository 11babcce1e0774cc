// The runs table's orders over 100,000 runs on typed arrays: each column's keys read once (while
// the runs stay the same), the filter's answer as positions, and a sort as a counting sort of the
// positions by each run's rank in the column. No run object is made, compared or looked up per sort.

/**
 * One column's keys over the runs: numbers (numeric: every key present is a number or a boolean,
 * as 0 or 1, in mode 'auto'; in mode 'numbers' the others count as missing) in a Float64Array, or
 * texts (String of each key; mode 'auto' with other keys, or 'text') as codes into a list of the
 * distinct texts; absent marks the missing ones (1: null or undefined, 2: NaN, 3: not a number in
 * mode 'numbers'). rank()
 * gives each run its rank among the distinct keys in ascending order (-1 if missing), worked out
 * on the first sort by the column. exact: the keys are of one kind, so equal keys are equal values.
 */
export class ColumnKeys {
  /**
   * @param runs the runs, by position
   * @param key a run's key (a number, a text, null or undefined)
   */
  constructor(runs, key, mode = 'auto') {
    const n = runs.length;
    const raw = new Array(n);
    let kinds = 0; // 1 numbers, 2 booleans, 4 texts, 8 anything else
    for (let i = 0; i < n; i++) {
      const k = key(runs[i]);
      raw[i] = k;
      if (k === null || k === undefined) continue;
      const t = typeof k;
      kinds |= t === 'number' ? 1 : t === 'boolean' ? 2 : t === 'string' ? 4 : 8;
    }
    const numeric = mode === 'numbers' || (mode === 'auto' && (kinds & ~3) === 0);
    this.key = key;
    this.numeric = numeric;
    // one kind of key (numbers, booleans or texts): equal keys are equal values, shown alike
    this.exact = kinds === 1 || kinds === 2 || kinds === 4 || kinds === 0;
    this.absent = new Uint8Array(n); // 1 null or undefined, 2 NaN
    this.ranks = null;
    this.everyOrder = null;
    this.distinct = 0;
    for (let i = 0; i < n; i++) {
      const k = raw[i];
      if (k === null || k === undefined) this.absent[i] = 1;
      else if (typeof k === 'number' && Number.isNaN(k)) this.absent[i] = 2;
      else if (numeric && typeof k !== 'number' && typeof k !== 'boolean') this.absent[i] = 3; // mode numbers: not ordered
    }
    if (numeric) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const k = raw[i];
        if (!this.absent[i]) v[i] = k === 0 ? 0 : Number(k); // -0 sorts with 0, as the comparison does; booleans 0, 1
      }
      this.values = v;
    } else {
      const codes = new Int32Array(n);
      const seen = new Map();
      const texts = [];
      for (let i = 0; i < n; i++) {
        const k = raw[i];
        if (this.absent[i]) {
          codes[i] = -1;
          continue;
        }
        const t = String(typeof k === 'boolean' ? Number(k) : k); // a boolean among texts sorts as 0 or 1
        let c = seen.get(t);
        if (c === undefined) {
          c = texts.length;
          texts.push(t);
          seen.set(t, c);
        }
        codes[i] = c;
      }
      this.codes = codes;
      this.texts = texts;
      this.seen = seen;
    }
    this.kindCounts = new Int32Array(9); // how many keys of each kind (1, 2, 4, 8), so an update knows if one is left
    this.kindOf = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = raw[i];
      if (this.absent[i] === 1) continue;
      const t = typeof k;
      this.kindOf[i] = t === 'number' ? 1 : t === 'boolean' ? 2 : t === 'string' ? 4 : 8;
      this.kindCounts[this.kindOf[i]]++;
    }
  }

  /**
   * Reads run p's key again (the run changed). False if the column's kinds of keys changed (then
   * the keys are to be read afresh); the ranks are worked out again if the key changed.
   */
  update(p, run) {
    const k = this.key(run);
    const kind = k === null || k === undefined ? 0 : typeof k === 'number' ? 1 : typeof k === 'boolean' ? 2
      : typeof k === 'string' ? 4 : 8;
    const counts = this.kindCounts;
    const old = this.kindOf[p];
    if (kind !== old && ((kind && counts[kind] === 0) || (old && counts[old] === 1))) return false;
    if (kind === 8) return false; // objects are compared by identity in nothing here: read afresh
    if (old) counts[old]--;
    if (kind) counts[kind]++;
    this.kindOf[p] = kind;
    const absent = kind === 0 ? 1 : typeof k === 'number' && Number.isNaN(k) ? 2 : this.numeric && kind > 2 ? 3 : 0;
    if (this.numeric) {
      const v = absent ? 0 : k === 0 ? 0 : Number(k);
      if (absent === this.absent[p] && (absent || v === this.values[p])) return true;
      this.values[p] = v;
    } else {
      let c = -1;
      if (!absent) {
        const t = String(typeof k === 'boolean' ? Number(k) : k);
        c = this.seen.get(t);
        if (c === undefined) {
          c = this.texts.length;
          this.texts.push(t);
          this.seen.set(t, c);
        }
      }
      if (absent === this.absent[p] && c === this.codes[p]) return true;
      this.codes[p] = c;
    }
    this.absent[p] = absent;
    this.ranks = null;
    this.everyOrder = null;
    return true;
  }

  /** Each run's rank among the distinct keys in ascending order (-1: missing), as an Int32Array; this.distinct: how many. */
  rank() {
    if (this.ranks) return this.ranks;
    const n = this.absent.length;
    const ranks = new Int32Array(n);
    const absent = this.absent;
    if (this.numeric) {
      const v = this.values;
      const present = new Float64Array(n);
      let m = 0;
      for (let i = 0; i < n; i++) if (!absent[i]) present[m++] = v[i];
      const sorted = present.subarray(0, m).sort(); // a typed array sorts numerically, natively
      let d = 0;
      for (let j = 0; j < m; j++) if (d === 0 || sorted[j] !== sorted[d - 1]) sorted[d++] = sorted[j];
      for (let i = 0; i < n; i++) {
        if (absent[i]) {
          ranks[i] = -1;
          continue;
        }
        const x = v[i];
        let lo = 0;
        let hi = d - 1;
        while (lo < hi) { // the first distinct key >= x: x itself
          const mid = (lo + hi) >>> 1;
          if (sorted[mid] < x) lo = mid + 1;
          else hi = mid;
        }
        ranks[i] = lo;
      }
      this.distinct = d;
    } else {
      // the default sort compares strings by UTF-16 code units, as < does
      const texts = this.texts;
      const byText = texts.map((t, c) => c).sort((a, b) => (texts[a] < texts[b] ? -1 : texts[a] > texts[b] ? 1 : 0));
      const rankOf = new Int32Array(texts.length);
      for (let r = 0; r < byText.length; r++) rankOf[byText[r]] = r;
      const codes = this.codes;
      for (let i = 0; i < n; i++) ranks[i] = codes[i] < 0 ? -1 : rankOf[codes[i]];
      this.distinct = texts.length;
    }
    this.ranks = ranks;
    return ranks;
  }

  /**
   * The positions in this column's order (orderByRank); the order of every run (positions is
   * every: TableRuns.all()) is kept, both ways, while the ranks stay.
   */
  order(positions, desc, every) {
    const ranks = this.rank();
    if (positions !== every) return orderByRank(positions, ranks, this.distinct, desc);
    if (!this.everyOrder) this.everyOrder = new Map();
    if (!this.everyOrder.has(desc)) this.everyOrder.set(desc, orderByRank(positions, ranks, this.distinct, desc));
    return this.everyOrder.get(desc);
  }

  /** Whether the keys at positions are all numbers or booleans (or missing). */
  numbersAt(positions) {
    const kindOf = this.kindOf;
    for (let j = 0; j < positions.length; j++) if (kindOf[positions[j]] > 2) return false;
    return true;
  }

  /** Whether run p's key and run q's are the same (null and undefined are the same, NaN and NaN too). */
  same(p, q) {
    if (this.absent[p] || this.absent[q]) return this.absent[p] === this.absent[q];
    return this.numeric ? this.values[p] === this.values[q] : this.codes[p] === this.codes[q];
  }

  /**
   * The position among positions whose key is least (max false) or greatest (max true), the first
   * such in their order; -1 if every key there is missing. Numbers only.
   */
  extreme(positions, max) {
    const v = this.values;
    const absent = this.absent;
    let best = -1;
    for (let j = 0; j < positions.length; j++) {
      const p = positions[j];
      if (absent[p]) continue;
      if (best < 0 || (max ? v[p] > v[best] : v[p] < v[best])) best = p;
    }
    return best;
  }
}

/**
 * The positions in sorted order by a column's ranks (an Int32Array, -1 missing): ascending, or
 * descending (desc); missing keys last either way; equal keys in the order of positions. A
 * counting sort, linear in the positions and the distinct keys; for a few positions among many
 * distinct keys, a native sort of each position's rank and place packed in one number.
 *
 * @param positions the positions to order (an Int32Array)
 * @param ranks each position's rank, ColumnKeys.rank()
 * @param distinct how many ranks there are
 * @param desc whether greater keys come first
 */
export function orderByRank(positions, ranks, distinct, desc) {
  const m = positions.length;
  if (m * 8 < distinct) {
    let scale = 1;
    while (scale <= m) scale *= 2;
    const packed = new Float64Array(m); // rank * scale + place: exact below 2^53, ties in the places' order
    let present = 0;
    const out = new Int32Array(m);
    let tail = m;
    for (let j = m - 1; j >= 0; j--) { // missing keys from the end backwards, so they keep their order
      const r = ranks[positions[j]];
      if (r < 0) out[--tail] = positions[j];
    }
    for (let j = 0; j < m; j++) {
      const r = ranks[positions[j]];
      if (r >= 0) packed[present++] = (desc ? distinct - 1 - r : r) * scale + j;
    }
    const sorted = packed.subarray(0, present).sort();
    for (let k = 0; k < present; k++) out[k] = positions[sorted[k] % scale];
    return out;
  }
  const counts = new Int32Array(distinct + 1);
  let absent = 0;
  for (let j = 0; j < m; j++) {
    const r = ranks[positions[j]];
    if (r < 0) absent++;
    else counts[(desc ? distinct - 1 - r : r) + 1]++;
  }
  for (let d = 0; d < distinct; d++) counts[d + 1] += counts[d];
  const out = new Int32Array(m);
  let tail = m - absent;
  for (let j = 0; j < m; j++) {
    const p = positions[j];
    const r = ranks[p];
    if (r < 0) out[tail++] = p;
    else out[counts[desc ? distinct - 1 - r : r]++] = p;
  }
  return out;
}

/**
 * The runs as the table orders them: their positions (the order of data.ids), each column's
 * keys read once, the positions the filter's answer keeps. Made again when the runs change; a
 * sort, a filter or a summary's best value then works on typed arrays only.
 */
export class TableRuns {
  /** @param runs the runs, in the order of data.ids */
  constructor(runs) {
    this.runs = runs;
    this.columns = new Map();
    this.byId = null;
    this.every = null;
  }

  /** A column's keys (ColumnKeys in mode), read with key(run) the first time the name is asked for. */
  keys(name, key, mode = 'auto') {
    let c = this.columns.get(name);
    if (!c) {
      c = new ColumnKeys(this.runs, key, mode);
      this.columns.set(name, c);
    }
    return c;
  }

  /**
   * The runs changed (none came or went): each at its position, its keys read again. False if
   * one is not among the runs (then the runs are to be indexed afresh).
   */
  update(changed) {
    const byId = this.positions();
    if (!changed.every((r) => r && byId.has(r.exp_id))) return false;
    for (const r of changed) {
      const p = byId.get(r.exp_id);
      this.runs[p] = r;
      for (const [name, c] of this.columns) if (!c.update(p, r)) this.columns.delete(name);
    }
    return true;
  }

  /** Each run's position by exp_id. */
  positions() {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.runs.length; i++) this.byId.set(this.runs[i].exp_id, i);
    }
    return this.byId;
  }

  /** Every position, in order. */
  all() {
    if (!this.every) {
      this.every = new Int32Array(this.runs.length);
      for (let i = 0; i < this.every.length; i++) this.every[i] = i;
    }
    return this.every;
  }

  /**
   * The positions of the runs whose exp_id is among ids (the filter's answer), in order; null ids:
   * all. Ids in the runs' order (as the server lists them) are matched in one walk; else each is
   * looked up by exp_id.
   */
  kept(ids) {
    if (ids === null) return this.all();
    const runs = this.runs;
    const walked = new Int32Array(ids.length);
    let i = 0;
    let j = 0;
    for (; j < ids.length; j++) {
      while (i < runs.length && runs[i].exp_id !== ids[j]) i++;
      if (i === runs.length) break;
      walked[j] = i++;
    }
    if (j === ids.length) return walked;
    const byId = this.positions();
    const keep = new Uint8Array(this.runs.length);
    let m = 0;
    for (let j = 0; j < ids.length; j++) {
      const p = byId.get(ids[j]);
      if (p !== undefined && !keep[p]) {
        keep[p] = 1;
        m++;
      }
    }
    const out = new Int32Array(m);
    for (let i = 0, k = 0; k < m; i++) if (keep[i]) out[k++] = i;
    return out;
  }

  /** The runs at positions, in their order, as an array. */
  rowsAt(positions) {
    const runs = this.runs;
    const out = new Array(positions.length);
    for (let j = 0; j < positions.length; j++) out[j] = runs[positions[j]];
    return out;
  }
}

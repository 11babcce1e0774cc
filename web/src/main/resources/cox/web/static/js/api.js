// The JSON API of cox serve, as the page calls it.

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : 'HTTP ' + status);
    this.status = status;
    this.body = body || {};
  }
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export async function getJson(path, params = {}) {
  const r = await fetch(path + query(params), {headers: {Accept: 'application/json'}});
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

export const runs = (p) => getJson('/api/runs', p);
export const filter = (p) => getJson('/api/filter', p);
export const status = () => getJson('/api/status');
export const groups = (p) => getJson('/api/groups', p);
export const run = (id) => getJson('/api/runs/' + encodeURIComponent(id));
export const rows = (id, table, p) =>
  getJson('/api/runs/' + encodeURIComponent(id) + '/tables/' + encodeURIComponent(table), p);
export const scalars = (id) => getJson('/api/runs/' + encodeURIComponent(id) + '/scalars');

/**
 * The curves of runs, in the binary form bin32: "COXS", header length, JSON header whose arrays are
 * {offset (bytes), length, type: f4|f8} into the body (values float32, x axes float64). Returns the
 * header with those replaced by Float32Arrays and Float64Arrays.
 */
export async function series(params) {
  const r = await fetch('/api/series' + query({...params, format: 'bin32'}));
  if (!r.ok) {
    let body = null;
    try {
      body = await r.json();
    } catch (e) {
      body = null;
    }
    throw new ApiError(r.status, body);
  }
  const buf = await r.arrayBuffer();
  const view = new DataView(buf);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== 'COXS') throw new Error('not a series response: ' + magic);
  const len = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, len)));
  const base = 8 + len + ((8 - ((8 + len) % 8)) % 8);
  // an array referred to twice (the shared grid's x) is one typed array
  const views = new Map();
  const arr = (ref) => {
    const key = ref.type + ref.offset + ':' + ref.length;
    if (!views.has(key)) {
      views.set(key, ref.type === 'f4' ? new Float32Array(buf, base + ref.offset, ref.length)
        : new Float64Array(buf, base + ref.offset, ref.length));
    }
    return views.get(key);
  };
  for (const run of header.runs) {
    if (run.x) run.x = arr(run.x);
    for (const s of Object.values(run.series || {})) {
      for (const k of ['x', 'y', 'smoothed']) if (s[k]) s[k] = arr(s[k]);
    }
  }
  return header;
}

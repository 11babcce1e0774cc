// The view: what the user chose (table, filter, sort, columns, selection, tab, chart options, the
// open run), read from and written to the URL, so a link or a refresh shows the same page.
// The view object is made here and handed to every part of the page that reads or changes it.

/** The view a query string (location.search) describes; absent keys take their defaults. */
export function readView(search) {
  const q = new URLSearchParams(search);
  const list = (k) => (q.get(k) ? q.get(k).split(',').filter(Boolean) : []);
  const sort = q.get('sort') || '';
  const dir = /:(asc|desc)$/.exec(sort);
  return {
    table: q.get('table') || '',
    where: q.get('where') || '',
    sort: sort ? {col: dir ? sort.slice(0, dir.index) : sort, desc: !!dir && dir[1] === 'desc'} : null,
    summary: q.get('summary') || 'last',
    at: q.get('at') || '',
    differ: q.get('differ') !== '0',
    hide: new Set(list('hide')),
    show: new Set(list('show')),
    sel: new Set(list('sel')),
    tab: q.get('tab') || 'charts',
    scope: q.get('scope') || 'auto',
    x: q.get('x') || '',
    smooth: Number(q.get('smooth') || 0),
    log: q.get('log') === '1',
    legend: q.get('legend') || '',
    group: list('group'),
    baseline: q.get('baseline') || '',
    band: q.get('band') || 'minmax',
    pc: q.get('pc') || '',
    run: q.get('run') || '',
  };
}

/** The query of a view without its open run: only what differs from the defaults. */
function viewQuery(view) {
  const q = new URLSearchParams();
  const put = (k, v, dflt = '') => { if (v !== undefined && v !== null && String(v) !== String(dflt)) q.set(k, String(v)); };
  put('table', view.table);
  put('where', view.where);
  if (view.sort) put('sort', view.sort.col + (view.sort.desc ? ':desc' : ''));
  put('summary', view.summary, 'last');
  if (view.summary === 'at') put('at', view.at);
  if (!view.differ) q.set('differ', '0');
  if (view.hide.size) q.set('hide', [...view.hide].join(','));
  if (view.show.size) q.set('show', [...view.show].join(','));
  if (view.sel.size) q.set('sel', [...view.sel].join(','));
  put('tab', view.tab, 'charts');
  put('scope', view.scope, 'auto');
  put('x', view.x);
  put('smooth', view.smooth, 0);
  if (view.log) q.set('log', '1');
  put('legend', view.legend);
  if (view.group.length) q.set('group', view.group.join(','));
  put('baseline', view.baseline);
  put('band', view.band, 'minmax');
  put('pc', view.pc);
  return q;
}

/** Writes the view into the URL if it changed: a new history entry with push, else in place. */
export function saveView(view, push) {
  const q = viewQuery(view);
  if (view.run) q.set('run', view.run);
  const url = location.pathname + (q.toString() ? '?' + q : '');
  if (url !== location.pathname + location.search) {
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }
}

/** The x axis the charts use: the one chosen, else the table's default. */
export function xAxis(view, data) {
  return view.x || data.xDefault;
}

/** The summary of a run's metric the view shows (last, best, ..., or the value at a step), or null. */
export function metricValue(view, run, name) {
  return run.metric(name, view.summary === 'at' ? 'at' : view.summary);
}

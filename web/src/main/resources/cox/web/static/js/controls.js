// The toolbars: their values shown from the view and the data, and their events turned into view
// changes and redraws.
import {h, fill, $} from './dom.js';
import {saveView, xAxis} from './view.js';
import {defaultColourMetric} from './paralleltab.js';

const FILTER_DELAY_MS = 200;
const LEGEND_DELAY_MS = 250;
const SMOOTH_DELAY_MS = 120;

function debounce(f, ms) {
  let t = 0;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => f(...a), ms);
  };
}

/** Replaces a select's options only when they changed (so an open select is not disturbed). */
function options(select, values, label) {
  if (select.options.length !== values.length || [...select.options].some((o, i) => o.value !== values[i])) {
    fill(select, values.map((n) => h('option', {value: n}, label(n))));
  }
}

/** Shows the choices the data offers (tables, x axes, group-by parameters, colour metrics) and the view's picks. */
export function showControls(view, data) {
  const table = $('#table');
  options(table, data.tables, (t) => t);
  table.value = data.table || '';
  const x = $('#x');
  options(x, ['_row', ...data.metrics.map((m) => m.name)], (n) => (n === '_row' ? 'row index' : n));
  x.value = xAxis(view, data);
  $('#group-button').textContent = view.group.length ? `Group by ${view.group.join(', ')} ▾` : 'Group by ▾';
  $('#group-button').classList.toggle('on', view.group.length > 0);
  $('#baseline').hidden = !view.group.length;
  $('#band-field').hidden = !view.group.length;
  const pc = $('#pc-metric');
  options(pc, data.metrics.map((m) => m.name), (n) => n);
  pc.value = view.pc || defaultColourMetric(view, data);
}

/** The Group by menu: a checkbox for each parameter, in the order of the table's columns. */
function renderGroupMenu(view, data, changed) {
  const items = [h('h4', {}, 'Group the runs by')];
  for (const p of data.params) {
    items.push(h('label', {}, h('input', {type: 'checkbox', value: p.name, checked: view.group.includes(p.name), onchange: (e) => {
      view.group = e.target.checked ? [...view.group, p.name] : view.group.filter((g) => g !== p.name);
      changed();
    }}), p.name));
  }
  if (!data.params.length) items.push(h('p', {class: 'hint-inline'}, 'The runs have no parameters.'));
  items.push(h('div', {class: 'sep'}), h('button', {type: 'button', class: 'link', onclick: () => {
    view.group = [];
    changed();
    renderGroupMenu(view, data, changed);
  }}, 'No groups'));
  fill($('#group-menu'), items);
}

/**
 * Sets the controls from the view and listens to them.
 *
 * @param view the view, changed by the controls
 * @param data the page's data
 * @param parts {source: RunSource, table: RunsTable, tabs: Tabs, chartsTab: ChartsTab,
 *   parallelTab: ParallelTab, router: Router, groups: GroupsTable}
 */
export function wireControls(view, data, {source, table, tabs, chartsTab, parallelTab, router, groups}) {
  $('#where').value = view.where;
  $('#summary').value = view.summary;
  $('#at').value = view.at;
  $('#at').hidden = view.summary !== 'at';
  $('#scope').value = view.scope;
  $('#smooth').value = view.smooth;
  $('#smooth-value').textContent = view.smooth.toFixed(2);
  $('#log').checked = view.log;
  $('#legend').value = view.legend;
  $('#band').value = view.band;
  $('#baseline').value = view.baseline;

  $('#where').addEventListener('input', debounce(() => {
    view.where = $('#where').value;
    source.refilter();
  }, FILTER_DELAY_MS));
  $('#table').addEventListener('change', async () => {
    view.table = $('#table').value;
    view.x = '';
    data.seriesKey = '';
    await source.load();
  });
  $('#summary').addEventListener('change', async () => {
    view.summary = $('#summary').value;
    $('#at').hidden = view.summary !== 'at';
    if (view.summary === 'at' && !view.at) return;
    await source.load();
  });
  $('#at').addEventListener('change', async () => {
    view.at = $('#at').value;
    if (view.summary === 'at') await source.load();
  });
  $('#columns-button').addEventListener('click', (e) => {
    e.stopPropagation();
    const menu = $('#columns-menu');
    menu.hidden = !menu.hidden;
    if (!menu.hidden) table.renderColumnsMenu();
  });
  document.addEventListener('click', (e) => {
    const menu = $('#columns-menu');
    if (!menu.hidden && !menu.contains(e.target)) menu.hidden = true;
  });
  const groupingChanged = () => {
    showControls(view, data);
    saveView(view);
    groups.load();
    chartsTab.render();
  };
  $('#group-button').addEventListener('click', (e) => {
    e.stopPropagation();
    const menu = $('#group-menu');
    menu.hidden = !menu.hidden;
    if (!menu.hidden) renderGroupMenu(view, data, groupingChanged);
  });
  document.addEventListener('click', (e) => {
    const menu = $('#group-menu');
    if (!menu.hidden && !menu.contains(e.target)) menu.hidden = true;
  });
  $('#baseline').addEventListener('input', debounce(() => {
    view.baseline = $('#baseline').value.trim();
    saveView(view);
    groups.load();
  }, FILTER_DELAY_MS));
  $('#csv').addEventListener('click', () => table.exportCsv());
  $('#clear-selection').addEventListener('click', () => {
    view.sel.clear();
    table.selectionChanged();
  });
  for (const b of document.querySelectorAll('.tabs button')) {
    b.addEventListener('click', () => {
      view.tab = b.dataset.tab;
      saveView(view);
      tabs.show();
    });
  }
  const chartOption = (id, f, ev = 'change') => $(id).addEventListener(ev, () => {
    f();
    saveView(view);
    chartsTab.render();
  });
  chartOption('#scope', () => { view.scope = $('#scope').value; });
  chartOption('#x', () => { view.x = $('#x').value === data.xDefault ? '' : $('#x').value; });
  chartOption('#log', () => { view.log = $('#log').checked; });
  chartOption('#band', () => { view.band = $('#band').value; });
  $('#legend').addEventListener('input', debounce(() => {
    view.legend = $('#legend').value;
    saveView(view);
    chartsTab.render();
  }, LEGEND_DELAY_MS));
  $('#smooth').addEventListener('input', () => {
    $('#smooth-value').textContent = Number($('#smooth').value).toFixed(2);
  });
  $('#smooth').addEventListener('input', debounce(() => {
    view.smooth = Number($('#smooth').value);
    saveView(view);
    chartsTab.smoothingChanged();
    chartsTab.render();
  }, SMOOTH_DELAY_MS));
  $('#pc-metric').addEventListener('change', () => {
    view.pc = $('#pc-metric').value;
    saveView(view);
    parallelTab.render();
  });
  $('#pc-apply').addEventListener('click', () => {
    const expr = parallelTab.takeRanges();
    if (!expr) return;
    view.where = view.where.trim() ? `(${view.where}) and ${expr}` : expr;
    $('#where').value = view.where;
    source.refilter();
  });
  $('#pc-clear').addEventListener('click', () => parallelTab.clearRanges());
  $('#home').addEventListener('click', (e) => {
    if (view.run) {
      e.preventDefault();
      router.close();
    }
  });
  window.addEventListener('popstate', () => router.route());
}

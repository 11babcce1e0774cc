// cox serve: the runs table, charts, parallel coordinates and diff of a folder of cox runs.
// The view (filter, sort, columns, selection, chart options) lives in the URL. This module makes
// the parts of the page, hands each the view and the data it reads, and starts them.
import {h, fill, $} from './dom.js';
import {readView} from './view.js';
import {emptyData, RunSource} from './runs.js';
import {RunsTable} from './table.js';
import {ChartsTab} from './chartstab.js';
import {ParallelTab} from './paralleltab.js';
import {renderDiff} from './difftab.js';
import {Tabs, Router} from './router.js';
import {showControls, wireControls} from './controls.js';
import {RunPage} from './runpage.js';
import {GroupsTable} from './groups.js';

const POLL_MS = 1000;

window.coxTimings = {};

const view = readView(location.search);
const data = emptyData();

const table = new RunsTable(view, data, {
  openRun: (id) => router.open(id),
  selectionChanged: () => tabs.show(),
  showControls: () => showControls(view, data),
  rendered: () => tabs.schedule(),
  updateLiveText: () => source.updateLiveText(),
});
const groups = new GroupsTable(view, data);
const source = new RunSource(view, data, {show: (how) => table.render(how),
  answered: (live) => (live ? groups.schedule() : groups.load())});
const chartsTab = new ChartsTab(view, data);
const parallelTab = new ParallelTab(view, data);
const tabs = new Tabs(view, {
  charts: () => chartsTab.render(),
  parallel: () => parallelTab.render(),
  diff: () => renderDiff(view, data, (id) => router.open(id)),
});
const runPage = new RunPage($('#run-page'), {back: () => router.close()});
const router = new Router(view, runPage, {isLoaded: () => data.loaded, showRuns: () => table.render({keepScroll: true})});

async function start() {
  wireControls(view, data, {source, table, tabs, chartsTab, parallelTab, router, groups});
  router.route();
  try {
    await source.load();
  } catch (e) {
    fill($('#grid'), h('p', {class: 'hint'}, 'Cannot read the runs: ' + e.message));
  }
  setInterval(() => source.poll(), POLL_MS);
}

start();

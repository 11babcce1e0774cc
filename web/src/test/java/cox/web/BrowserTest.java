package cox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;

/**
 * The page in a real browser (headless Chromium) against a server on a real collection: nine
 * finished runs, one with the parameter {@code <img src=x onerror=alert(1)>}, one whose exp_id is
 * markup, a run with object cells, and a run another JVM writes while the tests run.
 */
@EnabledIf(value = "cox.web.Browser#available", disabledReason = Browser.SKIPPED)
class BrowserTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> ALL = List.of("hostile", "live", "objects", "run-0.001-adam", "run-0.001-sgd", "run-0.01-adam",
            "run-0.01-sgd", "run-0.1-adam", "run-0.1-sgd", TestRuns.HOSTILE_ID);

    @TempDir
    static Path temp;
    static Path dir;
    static Process writer;
    static CoxServer server;
    static URI base;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        dir = java.nio.file.Files.createDirectories(temp.resolve("runs"));
        TestRuns.write(dir, 60);
        writer = TestRuns.startLive(dir, "live", 150);
        BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // the epochs it wrote; the page is what we check
                }
            } catch (Exception ignored) {
                // the writer ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        server = CoxServer.builder(dir).port(0).start();
        base = server.uri();
        browser = Browser.start(1400, 900);
        // record any alert() instead of letting it block the page: no test may see one
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
                "window.__alerts = []; for (const f of ['alert', 'confirm', 'prompt']) "
                        + "window[f] = (m) => { window.__alerts.push(f + ':' + m); };"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (writer != null) {
            writer.destroy();
            writer.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void freshPage() {
        browser.driver.manage().window().setSize(new Dimension(1400, 900));
    }

    void open(String query) {
        browser.driver.get(base + query);
        browser.waiting(60).until(d -> browser.js("return !!(window.coxTimings && window.coxTimings.tableReady)"));
    }

    @SuppressWarnings("unchecked")
    List<String> rowIds() {
        return (List<String>) browser.js("return [...document.querySelectorAll('#grid .g-row')].map(r => r.dataset.id)");
    }

    String cell(String expId, String column) {
        return (String) browser.js("const col = [...document.querySelectorAll('#grid .g-head .g-cell')]"
                + ".findIndex(c => c.dataset.col === arguments[1]);"
                + "const row = [...document.querySelectorAll('#grid .g-row')].find(r => r.dataset.id === arguments[0]);"
                + "return row && col >= 0 ? row.children[col].textContent : null;", expId, column);
    }

    /** The text of an element; one a live update replaced between finding and reading it is found again. */
    String text(String css) {
        for (int attempt = 0; ; attempt++) {
            try {
                return browser.driver.findElement(By.cssSelector(css)).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    void click(String expId) {
        clickRow(expId, "input[type=checkbox]");
    }

    /** Clicks in a run's row; the live run's row is repainted every second, so a click that finds it replaced tries again. */
    void clickRow(String expId, String what) {
        By by = By.cssSelector(".g-row[data-id=\"" + expId.replace("\\", "\\\\").replace("\"", "\\\"") + "\"] " + what);
        for (int attempt = 0; ; attempt++) {
            try {
                browser.driver.findElement(by).click();
                return;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void table_listsEveryRun() {
        open("");
        assertThat(rowIds()).containsExactlyElementsOf(ALL);
        assertThat(text("#counts")).startsWith("10 runs");
        assertThat(cell("run-0.1-sgd", "p:lr")).isEqualTo("0.1");
        assertThat(cell("run-0.1-sgd", "rows")).isEqualTo("60");
        assertThat(cell("live", "status")).isEqualTo("running");
        assertThat(cell("run-0.1-sgd", "status")).isEqualTo("closed");
        // "only columns that differ": dataset is cifar10 everywhere
        assertThat(cell("run-0.1-sgd", "p:dataset")).isNull();
        assertThat(text("#live-text")).startsWith("live · 1 running · ").contains(" closed · checked ");
    }

    @Test
    void sortedPositions_ordersAsComparingTheKeysDoes() {
        open("");
        // random numbers with ties, -0, infinities, NaN and nulls, and texts; both directions; against a comparator sort
        Object mismatches = browser.js("return import('/js/table.js').then(({sortedPositions}) => {"
                + "  let seed = 7; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;"
                + "  const pick = () => { const r = rnd(); return r < 0.05 ? null : r < 0.1 ? NaN : r < 0.13 ? -0 : r < 0.15 ? Infinity"
                + "    : r < 0.17 ? -Infinity : r < 0.4 ? Math.round(rnd() * 5) : (rnd() - 0.5) * 1e6; };"
                + "  const nums = Array.from({length: 5000}, pick);"
                + "  const texts = Array.from({length: 5000}, () => rnd() < 0.1 ? null : ['adam', 'sgd', 'Adam', 'b\u00e9', '10', '9'][Math.floor(rnd() * 6)]);"
                + "  const miss = (k) => k === null || k === undefined || (typeof k === 'number' && Number.isNaN(k));"
                + "  const reference = (keys, numeric, desc) => keys.map((k, i) => i).sort((a, b) => {"
                + "    const x = keys[a]; const y = keys[b];"
                + "    if (miss(x) || miss(y)) return (miss(x) - miss(y)) || a - b;"
                + "    let c = numeric ? (x < y ? -1 : x > y ? 1 : 0) : (String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0);"
                + "    return (desc ? -c : c) || a - b; });"
                + "  const out = [];"
                + "  for (const [keys, numeric] of [[nums, true], [texts, false]]) for (const desc of [false, true]) {"
                + "    const got = Array.from(sortedPositions(keys, numeric, desc));"
                + "    const want = reference(keys, numeric, desc);"
                + "    if (got.join() !== want.join()) out.push((numeric ? 'numbers' : 'texts') + (desc ? ' desc' : ' asc'));"
                + "  }"
                + "  return out.join(', '); })");
        assertThat(mismatches).isEqualTo("");
    }

    @Test
    void tableOrders_ofAFewHundredRuns_areThoseOfAPlainComparatorAndFilter() {
        open("");
        // 400 runs made in the page from columns as /api/runs sends them: ties, -0, NaN, infinities, missing
        // values, absent parameters, booleans, a column of mixed kinds; each filter's answer a shuffled subset
        // of ids; every column in both directions, twice (the kept order), against Array.sort with a comparator;
        // again after a few runs changed (their keys read again) and after one changed a column's kind of keys
        Object mismatches = browser.js("return Promise.all([import('/js/runs.js'), import('/js/table.js'), import('/js/text.js')])"
                + ".then(([{RunBatch}, {RunsTable}, {pyStr, short}]) => {"
                + "  let seed = 11; const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;"
                + "  const pick = (a) => a[Math.floor(rnd() * a.length)];"
                + "  const n = 400; const ids = Array.from({length: n}, (_, i) => 'run-' + String(i).padStart(4, '0'));"
                + "  const batchOf = (ids) => { const each = (f) => ids.map(f);"
                + "  const loss = each(() => { const r = rnd(); return r < 0.1 ? null : r < 0.15 ? 'NaN' : r < 0.18 ? 'Infinity'"
                + "    : r < 0.2 ? -0 : r < 0.45 ? Math.round(rnd() * 3) : rnd(); });"
                + "  return new RunBatch({exp_id: ids, status: each(() => pick(['closed', 'running', 'idle'])),"
                + "    error: each(() => null), last_write: each(() => Math.floor(rnd() * 1000)), changed: each(() => 0),"
                + "    short: each(() => false), rows: each(() => (rnd() < 0.1 ? null : Math.floor(rnd() * 50))),"
                + "    params: {lr: each(() => pick([0.1, 0.01, 0.001, -0, 0, 1e-9, 3, -2])),"
                + "      optimizer: {dict: ['sgd', 'adam', 'Adam', 'b\\u00e9'], index: each(() => Math.floor(rnd() * 5) - 1)},"
                + "      flag: each(() => rnd() < 0.5), mixed: each(() => pick([1, 'a', true, 2.5, '10', '9', null])),"
                + "      wd: each(() => Math.round(rnd() * 20) / 10)},"
                + "    params_absent: {wd: ids.map((_, i) => i).filter(() => rnd() < 0.3)}, metrics: {loss: {last: loss}}}); };"
                + "  const runs = batchOf(ids).runs();"
                + "  const types = {lr: 'FLOAT', optimizer: 'STR', flag: 'BOOL', mixed: 'OBJECT', wd: 'FLOAT'};"
                + "  const data = {runs: new Map(runs.map((r) => [r.exp_id, r])), ids: ids.slice(), filtered: null,"
                + "    generation: 1, runsGeneration: 1, metrics: [{name: 'loss', goal: 'min'}]};"
                + "  const view = {sort: null, summary: 'last', at: ''};"
                + "  const table = Object.create(RunsTable.prototype); table.view = view; table.data = data;"
                + "  const key = (r, col) => col === 'exp_id' ? r.exp_id : col === 'status' ? r.status : col === 'rows' ? r.rows"
                + "    : col === 'last_write' ? r.last_write : col.startsWith('p:') ? r.param(col.slice(2)) : r.metric(col.slice(2), 'last');"
                + "  const miss = (k) => k === null || k === undefined || (typeof k === 'number' && Number.isNaN(k));"
                + "  const reference = (rows, col, desc) => {"
                + "    const numeric = rows.every((r) => { const k = key(r, col); return miss(k) || typeof k === 'number' || typeof k === 'boolean'; });"
                + "    const norm = (k) => (numeric ? Number(k) : String(typeof k === 'boolean' ? Number(k) : k));"
                + "    const pos = (r) => data.ids.indexOf(r.exp_id);"
                + "    return rows.slice().sort((a, b) => { const x = key(a, col); const y = key(b, col);"
                + "      if (miss(x) || miss(y)) return (miss(x) - miss(y)) || pos(a) - pos(b);"
                + "      const c = norm(x) < norm(y) ? -1 : norm(x) > norm(y) ? 1 : 0; return (desc ? -c : c) || pos(a) - pos(b); });"
                + "  };"
                + "  const subset = (p) => { const s = ids.filter(() => rnd() < p); for (let i = s.length - 1; i > 0; i--) {"
                + "    const j = Math.floor(rnd() * (i + 1)); [s[i], s[j]] = [s[j], s[i]]; } return s; };"
                + "  const sgd = runs.filter((r) => r.param('optimizer') === 'sgd').map((r) => r.exp_id);"
                + "  const out = [];"
                + "  const change = (changed) => { for (const r of changed) data.runs.set(r.exp_id, r);"
                + "    data.runsChange = {from: data.runsGeneration, ids: changed.map((r) => r.exp_id)}; data.runsGeneration++; };"
                + "  for (const step of ['', 'after a change ', 'after a change of kind ']) {"
                + "  if (step === 'after a change ') change(batchOf(subset(0.05)).runs());"
                + "  if (step === 'after a change of kind ') { const b = batchOf([ids[3]]); b.params.set('lr', ['x']); change(b.runs()); }"
                + "  const runs = data.ids.map((id) => data.runs.get(id));"
                + "  for (const filtered of [null, subset(0.5), subset(0.05), sgd, []]) {"
                + "    data.filtered = filtered; data.generation++;"
                + "    const kept = filtered === null ? runs : runs.filter((r) => filtered.includes(r.exp_id));"
                + "    const shown = table.shownRuns();"
                + "    const name = step + (filtered === null ? 'all' : filtered.length + ' kept');"
                + "    for (const col of ['exp_id', 'status', 'rows', 'last_write', 'p:lr', 'p:optimizer', 'p:flag', 'p:mixed', 'p:wd', 'm:loss']) {"
                + "      for (const desc of [false, true, false]) {"
                + "        view.sort = {col, desc};"
                + "        const got = table.tableRuns().rowsAt(table.sortedPositions(shown)).map((r) => r.exp_id).join();"
                + "        const want = reference(kept, col, desc).map((r) => r.exp_id).join();"
                + "        if (got !== want) out.push(name + ' ' + col + (desc ? ' desc' : ' asc'));"
                + "      }"
                + "      if (col.startsWith('p:') || col.startsWith('m:')) {"
                + "        const c = {id: col, kind: col.startsWith('p:') ? 'param' : 'metric', type: types[col.slice(2)]};"
                + "        const text = (r) => (c.kind === 'metric' ? short(key(r, col)) : pyStr(key(r, col), c.type));"
                + "        const differs = kept.length < 2 || new Set(kept.map(text)).size > 1;"
                + "        if (table.differs(shown, c) !== differs) out.push(name + ' ' + col + ' differs');"
                + "      }"
                + "    }"
                + "    const keys = table.columnKeys('m:loss'); const p = keys.extreme(shown.positions, false);"
                + "    const values = kept.map((r) => r.metric('loss', 'last')).filter((v) => !miss(v));"
                + "    const best = values.length ? Math.min(...values) : undefined;"
                + "    if ((p < 0 ? undefined : keys.values[p]) !== best) out.push(name + ' best loss');"
                + "  }"
                + "  }"
                + "  if (table.tableRuns().runs.some((r, i) => r !== data.runs.get(data.ids[i]))) out.push('runs not updated');"
                + "  return out.join(', '); })");
        assertThat(mismatches).isEqualTo("");
    }

    @Test
    void filter_narrowsTheTable_andABadOneIsShownInline() {
        open("");
        var where = browser.driver.findElement(By.id("where"));
        where.sendKeys("optimizer == adam and lr <= 0.02");
        browser.waiting(10).until(d -> rowIds().size() == 3);
        assertThat(rowIds()).containsExactly("run-0.001-adam", "run-0.01-adam", TestRuns.HOSTILE_ID);
        assertThat(text("#counts")).startsWith("3 of 10 runs");
        assertThat(browser.driver.getCurrentUrl()).contains("where=optimizer+%3D%3D+adam");

        where.sendKeys(Keys.chord(Keys.CONTROL, "a"), "lr < )");
        browser.waiting(10).until(d -> !text("#where-error").isEmpty());
        assertThat(text("#where-error")).contains("lr < )", "^ expected a value", "(the filter is not applied)");
        assertThat(where.getAttribute("class")).contains("bad");
        assertThat(rowIds()).hasSize(10);
    }

    @Test
    void selectingRuns_drawsOneSeriesPerRun() {
        open("?tab=charts");
        click("run-0.1-sgd");
        click("run-0.01-sgd");
        click("run-0.001-adam");
        browser.waiting(20).until(d -> "3".equals(browser.js(
                "const c = document.querySelector('.chart-card[data-metric=loss]'); return c && c.dataset.series")));
        for (String metric : List.of("loss", "acc")) {
            assertThat(browser.js("return document.querySelector('.chart-card[data-metric=" + metric + "]').dataset.series"))
                    .isEqualTo("3");
            assertThat(browser.js("return document.querySelector('.chart-card[data-metric=" + metric + "]').dataset.points"))
                    .isEqualTo("60");
        }
        assertThat(browser.js("return document.querySelector('.chart-card[data-metric=epoch]')")).isNull();
        assertThat(text("#chart-legend")).contains("run-0.1-sgd", "run-0.01-sgd", "run-0.001-adam");
        assertThat(browser.driver.getCurrentUrl()).contains("sel=run-0.1-sgd%2Crun-0.01-sgd%2Crun-0.001-adam");
        // a canvas with something drawn on it
        assertThat((Boolean) browser.js("const cv = document.querySelector('.chart-card[data-metric=loss] canvas');"
                + "const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;"
                + "for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false;")).isTrue();

        // grouped by optimizer: one mean curve per group
        groupBy("optimizer");
        browser.waiting(10).until(d -> "2".equals(browser.js(
                "return document.querySelector('.chart-card[data-metric=loss]').dataset.series")));
        assertThat(text("#chart-legend")).contains("optimizer=adam (n=1)", "optimizer=sgd (n=2)");
    }

    /** Ticks a parameter in the Group by menu. */
    void groupBy(String param) {
        browser.driver.findElement(By.id("group-button")).click();
        browser.driver.findElement(By.cssSelector("#group-menu input[value=\"" + param + "\"]")).click();
        browser.driver.findElement(By.cssSelector("body")).click();
    }

    @Test
    void theLiveRun_growsWithoutAReload_andTheViewStays() {
        open("?sel=live&where=" + java.net.URLEncoder.encode("optimizer in (live, sgd)", StandardCharsets.UTF_8));
        browser.js("window.__sameDocument = true;");
        browser.waiting(20).until(d -> "1".equals(browser.js(
                "const c = document.querySelector('.chart-card[data-metric=loss]'); return c && c.dataset.series")));
        long rows = Long.parseLong(cell("live", "rows"));
        long points = Long.parseLong((String) browser.js("return document.querySelector('.chart-card[data-metric=loss]').dataset.points"));
        browser.waiting(15).until(d -> Long.parseLong(cell("live", "rows")) >= rows + 5);
        browser.waiting(15).until(d -> Long.parseLong((String) browser.js(
                "return document.querySelector('.chart-card[data-metric=loss]').dataset.points")) >= points + 5);
        assertThat(browser.js("return window.__sameDocument")).isEqualTo(true);
        assertThat(rowIds()).containsExactly("hostile", "live", "objects", "run-0.001-sgd", "run-0.01-sgd", "run-0.1-sgd");
        assertThat(browser.driver.findElement(By.cssSelector(".g-row[data-id=live] input")).isSelected()).isTrue();
        assertThat(browser.driver.findElement(By.id("where")).getAttribute("value")).isEqualTo("optimizer in (live, sgd)");
    }

    @Test
    void aNewRun_appearsWithoutAReload() throws Exception {
        open("");
        browser.js("window.__sameDocument = true;");
        TestRuns.run(dir, "zz-new", 0.2, "sgd", 0, "plain", 5);
        try {
            browser.waiting(15).until(d -> rowIds().contains("zz-new"));
            assertThat(browser.js("return window.__sameDocument")).isEqualTo(true);
        } finally {
            deleteRun("zz-new");
            browser.waiting(15).until(d -> !rowIds().contains("zz-new"));
        }
    }

    @Test
    void hostileValues_areShownAsText_andRunNothing() {
        open("?run=");
        assertThat(cell("hostile", "p:note")).isEqualTo(TestRuns.HOSTILE);
        assertThat(cell(TestRuns.HOSTILE_ID, "exp_id")).isEqualTo(TestRuns.HOSTILE_ID);
        assertThat(browser.js("return document.querySelectorAll('img, svg, iframe, object').length")).isEqualTo(0L);
        // the run pages too
        for (String id : List.of("hostile", TestRuns.HOSTILE_ID)) {
            clickRow(id, "a");
            browser.waiting(10).until(d -> browser.js("return document.querySelector('#run-params')") != null);
            assertThat(text("#run-page h2")).isEqualTo(id);
            if (id.equals("hostile")) {
                assertThat(text("#run-params")).contains(TestRuns.HOSTILE);
            }
            assertThat(browser.js("return document.querySelectorAll('img, svg, iframe, object').length")).isEqualTo(0L);
            browser.driver.navigate().back();
            browser.waiting(10).until(d -> browser.js("return document.querySelector('#main').hidden").equals(false));
        }
        assertThat((List<?>) browser.js("return window.__alerts")).isEmpty();
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void everyRequest_goesToTheServerItself() throws Exception {
        browser.performanceLog();
        open("?tab=charts&sel=run-0.1-sgd");
        browser.waiting(20).until(d -> browser.js("return document.querySelector('.chart-card[data-metric=loss]')") != null);
        browser.driver.findElement(By.cssSelector("[data-tab=parallel]")).click();
        clickRow("objects", "a");
        browser.waiting(10).until(d -> browser.js("return document.querySelector('#run-params')") != null);
        Thread.sleep(1500);
        String origin = "http://" + base.getHost() + ":" + base.getPort() + "/";
        int requests = 0;
        for (String message : browser.performanceLog()) {
            JsonNode m = JSON.readTree(message).get("message");
            if (m.get("method").asText().equals("Network.requestWillBeSent")) {
                String url = m.get("params").get("request").get("url").asText();
                requests++;
                assertThat(url).as("every request goes to the server").matches(u -> u.startsWith(origin)
                        || u.startsWith("data:") || u.startsWith("blob:" + origin.substring(0, origin.length() - 1)));
            }
        }
        assertThat(requests).isGreaterThan(8);
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) browser.js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertThat(resources).isNotEmpty().allMatch(u -> u.startsWith(origin));
    }

    @Test
    void viewState_survivesARefresh_andCsvExportsTheView() {
        open("?where=" + java.net.URLEncoder.encode("lr >= 0.01", StandardCharsets.UTF_8) + "&sort=p:lr:desc&sel=run-0.01-sgd");
        List<String> before = rowIds();
        assertThat(before).startsWith("objects", "run-0.1-adam", "run-0.1-sgd", "hostile");
        browser.driver.navigate().refresh();
        browser.waiting(60).until(d -> browser.js("return !!(window.coxTimings && window.coxTimings.tableReady)"));
        assertThat(rowIds()).isEqualTo(before);
        assertThat(browser.driver.findElement(By.cssSelector(".g-row[data-id=\"run-0.01-sgd\"] input")).isSelected()).isTrue();
        browser.driver.findElement(By.id("csv")).click();
        String csv = (String) browser.js("return window.coxLastCsv");
        String[] lines = csv.split("\n");
        assertThat(lines[0]).startsWith("exp_id,status,rows,last_write,lr,optimizer").contains("loss.last", "acc.last");
        assertThat(lines).hasSize(before.size() + 1);
        assertThat(lines[2]).startsWith("run-0.1-adam,closed,60,");
        assertThat(csv).contains("\"" + TestRuns.HOSTILE_ID.replace("\"", "\"\"") + "\"");
    }

    @Test
    void diff_andRunPage() {
        open("?tab=diff&sel=run-0.1-sgd,run-0.01-sgd");
        browser.waiting(10).until(d -> browser.js("return document.querySelector('#diff-table')") != null);
        String diff = text("#diff-table");
        assertThat(diff).contains("differ", "lr", "0.1", "0.01", "the same", "optimizer", "sgd");
        assertThat(diff.indexOf("lr")).isLessThan(diff.indexOf("the same"));
        open("?run=objects");
        browser.waiting(10).until(d -> browser.js("return document.querySelector('[data-table=checkpoints] .rows-table')") != null);
        // an OBJECT cell as JSON, a PICKLE cell (a file) by its type and size
        assertThat(text("[data-table=checkpoints]")).contains("\"a\": 1", "\"b\": 2", "PICKLE: list, 3 items", "bytes");
        assertThat(browser.js("return document.querySelector('[data-table=checkpoints] td.obj.json').title")).asString()
                .startsWith("{").endsWith("}");
        open("?run=run-0.1-sgd");
        browser.waiting(10).until(d -> browser.js("return document.querySelector('#run-scalars .chart-card')") != null);
        assertThat(text("[data-table=results]")).contains("60 rows", "rows 1–60 of 60");
        assertThat(text("#run-scalars")).contains("results/loss", "60 points");
    }

    @Test
    void metricColumns_areLabelledColumnDotStatistic() {
        open("?summary=best");
        assertThat(browser.js("return document.querySelector('#grid .g-head .g-cell[data-col=\"m:loss\"]').textContent"))
                .asString().startsWith("loss.best");
        assertThat(browser.js("return document.querySelector('#grid .g-head .g-cell[data-col=\"m:loss\"]').title"))
                .asString().startsWith("loss.best:").doesNotContain("·");
        browser.driver.findElement(By.id("csv")).click();
        assertThat(((String) browser.js("return window.coxLastCsv")).split("\n")[0]).contains("loss.best", "acc.best");
    }

    @Test
    void filter_anUnknownNameWarns_andANumberComparedWithTextIsRefused() {
        open("");
        var where = browser.driver.findElement(By.id("where"));
        where.sendKeys("nope > 1");
        browser.waiting(10).until(d -> text("#where-error").startsWith("warning"));
        assertThat(text("#where-error")).startsWith("warning: ").contains("'nope'", "which no run has");
        assertThat(rowIds()).isEmpty();
        where.sendKeys(Keys.chord(Keys.CONTROL, "a"), "lr == adam");
        browser.waiting(10).until(d -> text("#where-error").contains("adam") && !text("#where-error").startsWith("warning"));
        assertThat(text("#where-error")).contains("lr", "(the filter is not applied)");
        assertThat(where.getAttribute("class")).contains("bad");
        assertThat(rowIds()).hasSize(10);
    }

    @Test
    void groupBy_showsTheGroupsTable_sortable_withItsCsv_andABaseline() throws Exception {
        open("?where=" + java.net.URLEncoder.encode("exp_id ~ ^run", StandardCharsets.UTF_8));
        groupBy("optimizer");
        browser.waiting(20).until(d -> browser.js("return document.querySelector('#groups-table')") != null);
        @SuppressWarnings("unchecked")
        List<String> head = (List<String>) browser.js(
                "return [...document.querySelectorAll('#groups-table th')].map(t => t.dataset.col)");
        assertThat(head).startsWith("optimizer", "n").contains("loss.mean", "loss.std", "loss.sem", "loss.ci95_low",
                "loss.ci95_high", "loss.min", "loss.max");
        assertThat(text("#groups-table tbody")).contains("adam", "sgd");
        assertThat(browser.js("return document.querySelector('#groups-table tbody tr td:nth-child(2)').textContent"))
                .isEqualTo("3");
        // sorted by clicking a column: descending by optimizer puts sgd first
        browser.driver.findElement(By.cssSelector("#groups-table th[data-col=optimizer]")).click();
        browser.driver.findElement(By.cssSelector("#groups-table th[data-col=optimizer]")).click();
        assertThat(browser.js("return document.querySelector('#groups-table tbody tr td').textContent")).isEqualTo("sgd");
        String href = (String) browser.js("return document.querySelector('#groups-csv').href");
        assertThat(href).contains("/api/groups?", "group_by=optimizer", "format=csv");
        Http.Response csv = Http.get(base, href.substring(href.indexOf("/api/")));
        assertThat(csv.body()).startsWith("optimizer,n,").hasLineCount(3);
        assertThat(browser.driver.getCurrentUrl()).contains("group=optimizer");

        browser.driver.findElement(By.id("baseline")).sendKeys("optimizer == sgd");
        browser.waiting(20).until(d -> browser.js("return document.querySelector('#groups-table th[data-col=\"loss.p_welch\"]')") != null);
        assertThat(browser.js("return !!document.querySelector('#groups-table th[data-col=\"loss.diff\"]')")).isEqualTo(true);
    }

    @Test
    void groupedCurves_drawTheMeanOnlyWhereTwoRunsHaveAPoint() {
        open("");
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "import('/js/charts.js').then(m => done({two: m.groupStats([[1, 2, 3], [3, 4, null]], 'minmax').mean,"
                + " one: m.groupStats([[1, 2, 3]], 'std').mean}));");
        assertThat(String.valueOf(got.get("two"))).isEqualTo("[2, 3, null]");
        assertThat(String.valueOf(got.get("one"))).isEqualTo("[1, 2, 3]");
    }

    @Test
    void chartTooltip_listsEverySeriesAtTheCursor() {
        open("?tab=charts&sel=run-0.1-sgd,run-0.01-sgd,run-0.001-adam");
        browser.waiting(20).until(d -> "3".equals(browser.js(
                "const c = document.querySelector('.chart-card[data-metric=loss]'); return c && c.dataset.series")));
        browser.js("document.querySelector('.chart-card[data-metric=loss]').scrollIntoView();");
        browser.waiting(10).until(d -> {
            browser.js("const o = document.querySelector('.chart-card[data-metric=loss] .u-over'); const r = o.getBoundingClientRect();"
                    + "o.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2}));");
            return "3".equals(browser.js("return document.querySelector('.chart-card[data-metric=loss] .c-tip').dataset.series"));
        });
        assertThat(browser.js("return document.querySelector('.chart-card[data-metric=loss] .c-tip').textContent")).asString()
                .contains("run-0.1-sgd", "run-0.01-sgd", "run-0.001-adam");
    }

    @Test
    void stepColumns_areNotChartedAsMetrics_whateverTheXAxis() {
        open("?tab=charts&x=_row&sel=run-0.1-sgd");
        browser.waiting(20).until(d -> browser.js("return document.querySelector('.chart-card[data-metric=loss]')") != null);
        assertThat(browser.js("return document.querySelector('.chart-card[data-metric=acc]')")).isNotNull();
        assertThat(browser.js("return document.querySelector('.chart-card[data-metric=epoch]')")).isNull();
    }

    @Test
    void parallelCoordinates_drawARunThatLacksAParameterThroughAMissingTick() {
        open("?tab=parallel");
        browser.waiting(10).until(d -> browser.js("return document.querySelector('#parcoords canvas').dataset.missing") != null);
        // 'objects' has no seed and no note; its line goes through each axis' "missing" tick
        assertThat(browser.js("return document.querySelector('#parcoords canvas').dataset.missing")).asString()
                .contains("seed=1", "note=1");
    }

    @Test
    void diff_ofThreeRuns_parametersThatDifferFirst_thenLastRows() {
        open("?tab=diff&sel=run-0.1-sgd,run-0.01-sgd,run-0.001-adam");
        browser.waiting(20).until(d -> browser.js("return document.querySelector('#diff-table tr[data-table=results]')") != null);
        assertThat(browser.js("return document.querySelector('#diff-table').dataset.runs")).isEqualTo("3");
        String diff = text("#diff-table");
        assertThat(diff).contains("run-0.1-sgd", "run-0.01-sgd", "run-0.001-adam", "Parameters: 3 differ", "Last row of 'results'",
                "results.rows", "60");
        assertThat(diff.indexOf("optimizer")).isLessThan(diff.indexOf("Last row of 'results'"));
        assertThat(diff.indexOf("Last row of 'results'")).isLessThan(diff.indexOf("the same"));
        assertThat(diff.indexOf("dataset")).isGreaterThan(diff.indexOf("the same"));
    }

    @Test
    void columnChooser_andParallelCoordinatesBrushingIntoTheFilter() {
        open("?tab=parallel");
        assertThat(cell("run-0.1-sgd", "p:dataset")).isNull();
        browser.driver.findElement(By.id("columns-button")).click();
        browser.driver.findElement(By.xpath("//div[@id='columns-menu']//label[contains(., 'Only columns that differ')]/input")).click();
        browser.waiting(10).until(d -> "cifar10".equals(cell("run-0.1-sgd", "p:dataset")));
        assertThat(browser.driver.getCurrentUrl()).contains("differ=0");
        browser.driver.findElement(By.cssSelector("body")).click();

        // drag along the first axis (lr, log scale from 0.001 at the bottom to 0.5 at the top) over its upper part
        browser.js("document.querySelector('#parcoords').scrollIntoView();");
        browser.js("const cv = document.querySelector('#parcoords canvas'); const r = cv.getBoundingClientRect();"
                + "const at = (type, target, y) => target.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: r.left + 60,"
                + " clientY: r.top + y, button: 0}));"
                + "at('mousedown', cv, 36); at('mousemove', window, 90); at('mousemove', window, 150); at('mouseup', window, 150);");
        browser.waiting(10).until(d -> browser.driver.findElement(By.id("pc-apply")).isEnabled());
        browser.driver.findElement(By.id("pc-apply")).click();
        browser.waiting(10).until(d -> !browser.driver.findElement(By.id("where")).getAttribute("value").isEmpty());
        String where = browser.driver.findElement(By.id("where")).getAttribute("value");
        assertThat(where).startsWith("lr in [").endsWith("]");
        browser.waiting(10).until(d -> rowIds().size() < 10);
        assertThat(rowIds()).containsExactly("objects", "run-0.1-adam", "run-0.1-sgd");
        assertThat(text("#where-error")).isEmpty();
    }

    @Test
    void screenshot_forTheReadme() throws Exception {
        browser.driver.manage().window().setSize(new Dimension(1400, 1060));
        open("?sel=run-0.1-sgd,run-0.1-adam,run-0.01-sgd,run-0.01-adam,run-0.001-sgd,live&legend="
                + java.net.URLEncoder.encode("{optimizer} lr={lr}", StandardCharsets.UTF_8) + "&sort=m:loss");
        browser.waiting(20).until(d -> "6".equals(browser.js(
                "const c = document.querySelector('.chart-card[data-metric=loss]'); return c && c.dataset.series")));
        Thread.sleep(300);
        byte[] png = browser.driver.getScreenshotAs(OutputType.BYTES);
        Path target = Path.of("target", "serve.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String readme = System.getProperty("cox.web.screenshot");
        if (readme != null && !readme.isEmpty()) {
            Files.write(Path.of(readme), png);
        }
        assertThat(png.length).isGreaterThan(10_000);
    }

    private static void deleteRun(String expId) throws Exception {
        try (var files = Files.walk(dir.resolve(expId))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

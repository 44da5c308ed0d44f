/* The book's own script (no library, no request to any host).
 *
 * 1. Navigation at every width. The pinned theme pair (sphinx-book-theme 1.3.0 with
 *    pydata-sphinx-theme 0.17.1) renders two buttons with class .primary-toggle (and two
 *    .secondary-toggle): a hidden one in the top navbar and the visible one in the article
 *    header. Both themes bind their click handlers with document.querySelector, i.e. to the
 *    hidden first button only, so the visible menu and "Contents" buttons do nothing
 *    (pydata-sphinx-theme issue 2451, sphinx-book-theme issue 935 / PR 991). The fix is the
 *    one proposed upstream, done from outside: every other toggle forwards its click to the
 *    first one, so the themes' own handlers run (collapse on wide screens, the drawer
 *    dialog on narrow ones).
 * 2. Long tables: sort, filter and pages; a hint when a table scrolls sideways; a CSV of the
 *    table as shown in full.
 */
(function () {
  "use strict";

  function forwardToggles(selector) {
    var toggles = document.querySelectorAll(selector);
    if (toggles.length < 2) return;
    var wired = toggles[0];
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        wired.click();
      });
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  /* ---- Tables ------------------------------------------------------------------- */

  var PAGE_ROWS = 10; // rows per page of a long table (unless the table asks for fewer)
  var LONG = 12;      // a table with more body rows than this gets sort, filter and pages
  var tableCount = 0;

  function cellText(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  // A sort key: the leading number of a cell (1,234.5 / -3 / 12%) or else its text.
  function sortKey(text) {
    var match = /^[-\u2212]?\d[\d,]*(\.\d+)?/.exec(text.replace(/^[^\d\u2212-]{0,3}(?=\d)/, ""));
    if (match && !/^\d{4}-\d\d/.test(text)) {
      return { n: parseFloat(match[0].replace(/,/g, "").replace("\u2212", "-")), t: text };
    }
    return { n: null, t: text.toLowerCase() };
  }

  function compare(a, b) {
    if (a.n !== null && b.n !== null) return a.n - b.n;
    if (a.n !== null) return -1;
    if (b.n !== null) return 1;
    return a.t.localeCompare(b.t);
  }

  function csvOf(table) {
    var quote = function (text) {
      return /[",\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    };
    return Array.prototype.map.call(table.rows, function (row) {
      return Array.prototype.map.call(row.cells, function (c) {
        return quote(cellText(c.querySelector(".cell-clamp") || c));  // not the "more" button
      }).join(",");
    }).join("\n") + "\n";
  }

  function button(label, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    return b;
  }

  function scrollHint(container) {
    var hint = document.createElement("p");
    hint.className = "table-scroll-hint";
    hint.textContent = "This table is wider than the page: scroll it sideways to see every column \u2192";
    hint.hidden = true;
    container.parentNode.insertBefore(hint, container);
    var update = function () {
      hint.hidden = container.scrollWidth <= container.clientWidth + 1;
    };
    window.addEventListener("resize", update);
    update.hint = hint;
    return update;  // measured once all tables are set up (one layout, not one per table)
  }

  function interactive(table, container, updateHint) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    // The caption's words, not its number or the "#" of its link.
    var captionText = table.caption && table.caption.querySelector(".caption-text");
    var caption = captionText ? cellText(captionText)
      : table.caption ? cellText(table.caption).replace(/\s*#$/, "") : "this table";
    var state = { page: 0, all: false, query: "", shown: rows, reorder: false };
    // A table may ask for fewer rows per page (class table-page-5): its top rows in the flow.
    var asked = /(?:^|\s)table-page-(\d)(?:\s|$)/.exec(table.className);
    var PAGE = asked ? parseInt(asked[1], 10) : PAGE_ROWS;
    tableCount += 1;

    var bar = document.createElement("div");
    bar.className = "table-tools";
    var search = document.createElement("input");
    search.type = "search";
    search.placeholder = "Filter rows";
    search.setAttribute("aria-label", "Filter the rows of " + caption);
    var status = document.createElement("span");
    status.className = "table-status";
    status.setAttribute("aria-live", "polite");
    var prev = button("\u2190 Previous", "table-prev");
    var next = button("Next \u2192", "table-next");
    var all = button("Show all rows", "table-all");
    var csv = button("Download CSV", "table-csv");
    [search, prev, status, next, all, csv].forEach(function (el) { bar.appendChild(el); });
    container.parentNode.insertBefore(bar, container);
    table.classList.add("table-interactive");

    function render(measure) {
      var pages = Math.max(1, Math.ceil(state.shown.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      var first = state.all ? 0 : state.page * PAGE;
      var last = state.all ? state.shown.length : Math.min(first + PAGE, state.shown.length);
      if (state.reorder) {  // after a sort or a filter: the matching rows first, in order
        var shown = new Set(state.shown);
        state.shown.forEach(function (row) { body.appendChild(row); });
        rows.forEach(function (row) { if (!shown.has(row)) body.appendChild(row); });
        state.reorder = false;
      }
      var visible = state.shown.slice(first, last);
      var on = new Set(visible);
      rows.forEach(function (row) { row.classList.toggle("table-row-off", !on.has(row)); });
      visible.forEach(function (row) { row.classList.remove("table-row-later"); });
      clampRows(visible);
      var total = rows.length === state.shown.length ? rows.length + " rows"
        : state.shown.length + " of " + rows.length + " rows match";
      status.textContent = state.shown.length ? "Rows " + (first + 1) + "\u2013" + last + " of " + total : "No row matches";
      prev.disabled = state.all || state.page === 0;
      next.disabled = state.all || last >= state.shown.length;
      all.textContent = state.all ? "Show " + PAGE + " rows per page" : "Show all rows";
      all.setAttribute("aria-pressed", state.all ? "true" : "false");
      if (measure !== false) updateHint();
    }

    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      state.shown = rows.filter(function (row) {
        var text = cellText(row).toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      state.page = 0;
      state.reorder = true;
      render();
    });
    prev.addEventListener("click", function () { state.page -= 1; render(); });
    next.addEventListener("click", function () { state.page += 1; render(); });
    all.addEventListener("click", function () { state.all = !state.all; render(); });
    csv.addEventListener("click", function () {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([csvOf(table)], { type: "text/csv" }));
      link.download = (table.closest("[id]") ? table.closest("[id]").id : "table-" + tableCount) + ".csv";
      document.body.appendChild(link);
      link.click();
      link.remove();
    });

    var head = table.tHead ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (head) {
      Array.prototype.forEach.call(head.cells, function (th, column) {
        var sort = button(cellText(th), "table-sort");
        sort.title = "Sort by this column";
        th.textContent = "";
        th.appendChild(sort);
        th.setAttribute("aria-sort", "none");
        sort.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(head.cells, function (c) { c.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var keyed = rows.map(function (row) {
            return { row: row, key: sortKey(row.cells[column] ? cellText(row.cells[column]) : "") };
          });
          keyed.sort(function (a, b) { return (ascending ? 1 : -1) * compare(a.key, b.key); });
          rows = keyed.map(function (k) { return k.row; });
          var matching = new Set(state.shown);
          state.shown = rows.filter(function (row) { return matching.has(row); });
          state.reorder = true;
          render();
        });
      });
    }
    render(false);
  }

  // A folded table: on screen its caption and a button that opens its rows (print shows all).
  function fold(table, container, updateHint) {
    var count = table.tBodies[0].rows.length;
    var label = count === 1 ? "Show its row" : "Show its " + count + " rows";
    var open = button(label, "table-unfold");
    open.setAttribute("aria-expanded", "false");
    tableCount += 1;
    var id = table.id || "folded-table-" + tableCount;
    table.id = id;
    open.setAttribute("aria-controls", id);
    var bar = document.createElement("div");
    bar.className = "table-tools";
    bar.appendChild(open);
    container.parentNode.insertBefore(bar, container.nextSibling);
    table.classList.add("table-closed", "table-ready");
    open.addEventListener("click", function () {
      var closed = table.classList.toggle("table-closed");
      open.textContent = closed ? label : "Hide its rows";
      open.setAttribute("aria-expanded", closed ? "false" : "true");
      updateHint();
    });
  }

  // A cell of long running text shows its first lines and a "more" button (all of it prints).
  var CLAMP = 90;  // characters
  // Done for the rows on screen only (a long table's other pages when they are shown).
  function clampRows(rows) {
    rows.forEach(function (row) {
      if (row.dataset.clamped) return;
      row.dataset.clamped = "1";
      Array.prototype.forEach.call(row.cells, clampCell);
    });
  }

  function clampCell(cell) {
    if (cell.tagName !== "TD" || cellText(cell).length <= CLAMP) return;
    var inner = document.createElement("div");
    inner.className = "cell-clamp";
    while (cell.firstChild) inner.appendChild(cell.firstChild);
    cell.appendChild(inner);
    var more = button("more", "cell-more");
    more.setAttribute("aria-expanded", "false");
    more.addEventListener("click", function () {
      var open = inner.classList.toggle("cell-open");
      more.textContent = open ? "less" : "more";
      more.setAttribute("aria-expanded", open ? "true" : "false");
    });
    cell.appendChild(more);
  }

  // Each table is set up in a task of its own (a phone's processor then never stalls on all
  // of them at once), and the widths of all are read in one last task; done() follows.
  function setUpTables(done) {
    var set = [];
    var tables = Array.prototype.filter.call(
      document.querySelectorAll("article.bd-article table"),
      function (table) { return !table.closest(".highlight") && table.tBodies.length; });
    var index = 0;
    function step() {
      if (index < tables.length) {
        setUpTable(tables[index], set);
        index += 1;
        setTimeout(step, 0);
        return;
      }
      measureTables(set);
      done();
    }
    step();
  }

  function setUpTable(table, set) {
    var container = table.parentElement;
    if (!container.classList.contains("pst-scrollable-table-container")) {
      container = document.createElement("div");
      container.className = "pst-scrollable-table-container";
      table.parentNode.insertBefore(container, table);
      container.appendChild(table);
    }
    // The build marks long cells (summit_book.sphinx_ext.prepare_tables); other tables here.
    if (!table.classList.contains("cells-marked")) markLongCells(table);
    var updateHint = scrollHint(container);
    // A long table, or a shorter one that asks for a short page (table-page-N), gets the tools.
    if (table.tBodies[0].rows.length > LONG || /(?:^|\s)table-page-\d/.test(table.className)) {
      interactive(table, container, updateHint);
    }
    else {
      clampRows(Array.prototype.slice.call(table.tBodies[0].rows));
      if (table.classList.contains("table-folded")) fold(table, container, updateHint);
    }
    set.push({ table: table, container: container, updateHint: updateHint });
  }

  function markLongCells(table) {
    Array.prototype.forEach.call(table.querySelectorAll("td, th"), function (cell) {
      // A header breaks only between words unless one of its words is too long to fit
      // ("renewable water (km³/year)" must not become "rene / wabl / e").
      var text = cellText(cell);
      var long = cell.tagName === "TH"
        ? text.split(" ").some(function (w) { return w.length > 16; })
        : text.length > 24 || /[_\/]/.test(text);
      if (long) cell.classList.add("cell-long");
    });
  }

  function measureTables(set) {
    // Read all widths at once, then write: a table still too wide gets the tight style.
    set.filter(function (t) { return t.table.offsetWidth > t.container.clientWidth + 1; })
      .forEach(function (t) { t.table.classList.add("table-tight"); });
    var fits = set.map(function (t) { return t.container.scrollWidth <= t.container.clientWidth + 1; });
    set.forEach(function (t, i) { t.updateHint.hint.hidden = fits[i]; });
  }

  /* ---- Figures: text at least 9 CSS px on a phone ---------------------------------------- */

  // A chart's SVG keeps its text as text (svg.fonttype none): read its smallest font size and
  // its width, and give the image the width at which that text is 9 px. Wider screens already
  // show it so; on a phone the figure then scrolls sideways (with a hint), like a wide table.
  var MIN_TEXT_PX = 9;
  function legibleFigures() {
    document.querySelectorAll("article.bd-article figure img").forEach(function (img) {
      if (!/\.svg($|\?)/.test(img.getAttribute("src") || "")) return;
      fetch(img.src).then(function (r) { return r.text(); }).then(function (text) {
        var box = /viewBox="([^"]+)"/.exec(text);
        if (!box) return;
        var width = parseFloat(box[1].split(/[\s,]+/)[2]);
        var smallest = Infinity;
        var sizes = /font(?:-size)?:\s*(?:[a-z]+\s+)*([\d.]+)px/g, m;
        while ((m = sizes.exec(text))) smallest = Math.min(smallest, parseFloat(m[1]));
        if (!isFinite(smallest) || !width) return;
        var frame = document.createElement("div");
        frame.className = "figure-scroll";
        frame.tabIndex = 0;  // a region that scrolls must be reachable by keyboard
        frame.setAttribute("role", "group");
        frame.setAttribute("aria-label", "Figure image (scrolls sideways on narrow screens)");
        img.parentNode.insertBefore(frame, img);
        frame.appendChild(img);
        img.style.setProperty("--legible-width", Math.ceil(width * MIN_TEXT_PX / smallest) + "px");
        img.classList.add("figure-legible");
        var hint = document.createElement("p");
        hint.className = "figure-scroll-hint";
        hint.textContent = "Scroll the figure sideways, or open the image below at full size \u2192";
        frame.parentNode.insertBefore(hint, frame);
        var update = function () { hint.hidden = frame.scrollWidth <= frame.clientWidth + 1; };
        if (img.complete) update(); else img.addEventListener("load", update);
        window.addEventListener("resize", update);
      }).catch(function () { /* the figure stays as it is */ });
    });
  }

  // "accessed <today>" in the citations a reader copies.
  function accessDates() {
    var today = new Date().toISOString().slice(0, 10);
    document.querySelectorAll(".access-date").forEach(function (el) { el.textContent = today; });
  }

  // The page is shown first; the tables' tools and the figures' widths follow a frame later
  // (the rows after a long table's first page stay out of the layout until then, book.css).
  // When all is set up, the root element says so (data-book-ready), for tests and tools.
  function afterFirstPaint(fn) {
    if (window.requestAnimationFrame) requestAnimationFrame(function () { setTimeout(fn, 0); });
    else setTimeout(fn, 0);
  }

  // Bootstrap's script (the theme's tooltips and its download menu) once the page has
  // loaded: it is not needed to read the page, and a phone then fetches and runs it after
  // the text is shown. A click on the download menu before that loads it at once.
  var here = document.currentScript ? document.currentScript.src : "";
  // The address of a file of _static, from this script's own address.
  function staticUrl(name) { return here.replace(/book\.js(\?.*)?$/, name); }
  var bootstrapLoading = null;
  function loadBootstrap() {
    if (!bootstrapLoading) {
      bootstrapLoading = new Promise(function (resolve) {
        if (window.bootstrap || !here) { resolve(); return; }
        loadScript(staticUrl("scripts/bootstrap.js")).then(resolve);
      });
    }
    return bootstrapLoading;
  }

  function bootstrapOnFirstUse() {
    document.querySelectorAll('[data-bs-toggle="dropdown"]').forEach(function (toggle) {
      toggle.addEventListener("click", function first(event) {
        toggle.removeEventListener("click", first);
        if (window.bootstrap) return;
        event.preventDefault();
        loadBootstrap().then(function () {
          if (window.bootstrap) window.bootstrap.Dropdown.getOrCreateInstance(toggle).toggle();
        });
      });
    });
  }

  function loadScript(src) {
    return new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = script.onerror = function () { resolve(); };
      document.head.appendChild(script);
    });
  }

  // A page reached from the search results marks the searched words (Sphinx's own scripts,
  // loaded only then: summit_book.sphinx_ext.SEARCH_HIGHLIGHT_SCRIPTS).
  function searchHighlight() {
    if (!/[?&]highlight=/.test(window.location.search) || window.SphinxHighlight || !here) return;
    loadScript(staticUrl("doctools.js")).then(function () { return loadScript(staticUrl("sphinx_highlight.js")); });
  }

  // Figures load lazily (the text shows first); once the page has loaded, all of them, so
  // that a printout has them; resolved when every image is in.
  function allImages() {
    var images = Array.prototype.slice.call(document.querySelectorAll("img"));
    return Promise.all(images.map(function (img) {
      if (img.loading === "lazy") img.loading = "eager";
      if (img.complete) return Promise.resolve();
      return new Promise(function (resolve) {
        img.addEventListener("load", resolve);
        img.addEventListener("error", resolve);
      });
    }));
  }

  ready(function () {
    accessDates();
    searchHighlight();
    bootstrapOnFirstUse();
    forwardToggles(".primary-toggle");
    forwardToggles(".secondary-toggle");
    afterFirstPaint(function () {
      legibleFigures();
      var tablesDone = new Promise(function (resolve) { setUpTables(resolve); });
      var pageLoaded = new Promise(function (resolve) {
        if (document.readyState === "complete") resolve();
        else window.addEventListener("load", resolve);
      });
      Promise.all([tablesDone, pageLoaded.then(loadBootstrap), pageLoaded.then(allImages)]).then(function () {
        document.documentElement.dataset.bookReady = "true";
      });
    });
  });
})();

(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function $(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---- filtering
  var table = $("transfers-table");
  var rows = table ? Array.prototype.filter.call(table.tBodies[0].rows, function (r) {
    return r.hasAttribute("data-id");
  }) : [];
  var noMatch = table ? table.querySelector("tr.no-match") : null;
  var text = $("f-text"), area = $("f-area"), regime = $("f-regime"), status = $("f-status");
  var shown = $("shown");

  function words(value) { return (value || "").split(" ").filter(Boolean); }

  function applyFilters() {
    var needle = text ? text.value.trim().toLowerCase() : "";
    var terms = words(needle);
    var a = area ? area.value : "", g = regime ? regime.value : "", s = status ? status.value : "";
    var count = 0;
    rows.forEach(function (r) {
      var hay = r.getAttribute("data-text") || "";
      var ok = terms.every(function (t) { return hay.indexOf(t) >= 0; }) &&
        (!a || r.getAttribute("data-area") === a) &&
        (!g || words(r.getAttribute("data-regimes")).indexOf(g) >= 0) &&
        (!s || words(r.getAttribute("data-status")).indexOf(s) >= 0);
      r.hidden = !ok;
      if (ok) { count += 1; }
    });
    if (noMatch) { noMatch.hidden = count !== 0; }
    if (shown) {
      shown.textContent = count + " of " + rows.length + " transfer" +
        (rows.length === 1 ? "" : "s") + " shown";
    }
  }

  [text, area, regime, status].forEach(function (el) {
    if (el) {
      el.addEventListener("input", applyFilters);
      el.addEventListener("change", applyFilters);
    }
  });
  var form = $("filters");
  if (form) {
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(applyFilters, 0); });
  }

  // ---- sorting (buttons in the column headings; aria-sort on the sorted heading)
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell ? (cell.getAttribute("data-sort") || cell.textContent || "") : "";
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }

  if (table) {
    var heads = table.tHead.rows[0].cells;
    each(table.tHead.querySelectorAll("button[data-col]"), function (btn) {
      btn.addEventListener("click", function () {
        var col = parseInt(btn.getAttribute("data-col"), 10);
        var numeric = btn.getAttribute("data-type") === "number";
        var th = btn.parentNode;
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var sign = dir === "ascending" ? 1 : -1;
        var sorted = rows.slice().sort(function (x, y) {
          var kx = key(x, col, numeric), ky = key(y, col, numeric);
          if (kx < ky) { return -sign; }
          if (kx > ky) { return sign; }
          var ix = x.getAttribute("data-id"), iy = y.getAttribute("data-id");
          return ix < iy ? -1 : (ix > iy ? 1 : 0);
        });
        var body = table.tBodies[0];
        sorted.forEach(function (r) { body.insertBefore(r, noMatch); });
        rows = sorted;
      });
    });
  }

  // ---- details: open the one a link points to; expand or collapse all; print all
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    var el = $(id);
    if (el && el.tagName === "DETAILS") {
      el.open = true;
      el.scrollIntoView({ block: "start" });
      var summary = el.querySelector("summary");
      if (summary) { summary.focus({ preventScroll: true }); }
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  var all = document.querySelectorAll("details.transfer");
  var openAll = $("open-all"), closeAll = $("close-all");
  if (openAll) { openAll.addEventListener("click", function () { each(all, function (d) { d.open = true; }); }); }
  if (closeAll) { closeAll.addEventListener("click", function () { each(all, function (d) { d.open = false; }); }); }

  var wasOpen = [];
  window.addEventListener("beforeprint", function () {
    wasOpen = Array.prototype.map.call(all, function (d) { return d.open; });
    each(all, function (d) { d.open = true; });
    rows.forEach(function (r) { r.dataset.hiddenBeforePrint = r.hidden ? "1" : ""; r.hidden = false; });
    if (noMatch) { noMatch.hidden = true; }
  });
  window.addEventListener("afterprint", function () {
    each(all, function (d, i) { d.open = !!wasOpen[i]; });
    rows.forEach(function (r) { r.hidden = r.dataset.hiddenBeforePrint === "1"; });
    applyFilters();
  });

  // ---- diagrams: fit to the page width, or actual size (scroll sideways)
  each(document.querySelectorAll("figure.diagram"), function (fig) {
    var holder = fig.querySelector(".svg");
    if (!holder) { return; }
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "zoom";
    btn.textContent = "Actual size";
    btn.setAttribute("aria-pressed", "false");
    btn.addEventListener("click", function () {
      var actual = fig.classList.toggle("actual");
      btn.setAttribute("aria-pressed", actual ? "true" : "false");
    });
    fig.insertBefore(btn, fig.firstChild);
  });

  applyFilters();
}());

/* Small enhancements only; every page works without this file. */
(function () {
  "use strict";
  // Map form: the tick boxes and the "Show them in" list follow the framework chosen
  // under "My codes are from". Without this script the "List its codes" button asks
  // the server for them; with it, the same page is fetched and its two parts swapped in.
  var from = document.getElementById("map-from");
  var choices = document.getElementById("map-choices");
  var to = document.getElementById("map-to");
  if (!from || !choices || !to || !window.fetch || !window.DOMParser) { return; }
  var asked = 0;
  from.addEventListener("change", function () {
    var ask = ++asked;
    choices.setAttribute("aria-busy", "true");
    var url = "/map?choose=source&from=" + encodeURIComponent(from.value) +
      "&to=" + encodeURIComponent(to.value);
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        if (ask !== asked) { return; }  // a later choice is on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        var newChoices = page.getElementById("map-choices");
        var newTo = page.getElementById("map-to");
        var hint = page.getElementById("map-from-hint");
        if (newChoices) { choices.replaceWith(newChoices); choices = newChoices; }
        if (newTo) {
          var kept = to.value;  // the reader's choice, if the new list still offers it
          to.innerHTML = newTo.innerHTML;
          if (to.querySelector("option[value='" + kept.replace(/'/g, "") + "']")) { to.value = kept; }
        }
        var oldHint = document.getElementById("map-from-hint");
        if (hint && oldHint) { oldHint.textContent = hint.textContent; }
        from.setAttribute("data-codes-for", from.value);
      })
      .catch(function () {
        // Left as it was: the "List its codes" button still works.
      })
      .then(function () { choices.removeAttribute("aria-busy"); });
  });
})();

/* The matrix: one Tab stop, then arrow keys move between cells (roving tabindex).
   Without this script every filled cell is an ordinary link. */
(function () {
  "use strict";
  var region = document.querySelector("[data-matrix]");
  if (!region) { return; }
  var table = region.querySelector("table.matrix");
  var frame = region.parentNode;
  // The "more rows below" cue goes once the bottom is reached.
  function atEnd() {
    var end = region.scrollTop + region.clientHeight >= region.scrollHeight - 4;
    frame.classList.toggle("at-end", end);
  }
  region.addEventListener("scroll", atEnd, { passive: true });
  window.addEventListener("resize", atEnd);
  atEnd();
  if (!table) { return; }

  // Grid rows: the column headings, then every item row (area rows are skipped).
  var rows = [];
  var head = table.querySelector("tr.codes");
  if (head) {
    var headCells = [null];
    var ths = head.querySelectorAll("th");
    for (var h = 0; h < ths.length; h++) { headCells.push(ths[h]); }
    rows.push(headCells);
  }
  var bodyRows = table.querySelectorAll("tbody tr:not(.group)");
  for (var r = 0; r < bodyRows.length; r++) {
    var cells = [];
    for (var c = 0; c < bodyRows[r].children.length; c++) { cells.push(bodyRows[r].children[c]); }
    rows.push(cells);
  }
  if (rows.length < 2) { return; }

  function focusable(cell) {
    if (!cell) { return null; }
    return cell.querySelector("a") || cell;
  }
  var all = table.querySelectorAll("a, td");
  for (var i = 0; i < all.length; i++) { all[i].setAttribute("tabindex", "-1"); }
  region.removeAttribute("tabindex");  // the active cell is the Tab stop now
  var current = { row: 1, col: 0 };
  var start = focusable(rows[1][0]);
  start.setAttribute("tabindex", "0");

  function describe(cell, row, col) {
    if (cell.tagName !== "TD" || cell.querySelector("a")) { return; }
    var rowHead = rows[row][0] ? rows[row][0].textContent.trim() : "";
    var colHead = rows[0][col] ? rows[0][col].textContent.trim() : "No match / other";
    var text = cell.textContent.trim();
    cell.setAttribute("aria-label", rowHead + " and " + colHead + ": " + (text || "no link"));
  }

  function move(row, col) {
    row = Math.max(0, Math.min(rows.length - 1, row));
    var line = rows[row];
    col = Math.max(0, Math.min(line.length - 1, col));
    while (col < line.length && !line[col]) { col++; }  // the heading row has no row head
    if (col >= line.length) { return; }
    var old = focusable(rows[current.row][current.col]);
    if (old) { old.setAttribute("tabindex", "-1"); }
    var next = focusable(line[col]);
    describe(next, row, col);
    next.setAttribute("tabindex", "0");
    next.focus();
    current = { row: row, col: col };
  }

  // Where a node sits in the grid: [row, column], or null outside it.
  function place(node) {
    for (var y = 0; y < rows.length; y++) {
      for (var x = 0; x < rows[y].length; x++) {
        var cell = rows[y][x];
        if (cell && (cell === node || cell.contains(node))) { return [y, x]; }
      }
    }
    return null;
  }

  // The row and the column of the cell under the pointer or the focus are highlighted
  // (CSS alone does the row on :hover and :focus-within; a column needs this).
  var lit = [];
  function light(at) {
    for (var i = 0; i < lit.length; i++) { lit[i].classList.remove("col-hi", "row-hi"); }
    lit = [];
    if (!at || at[0] === 0) { return; }
    for (var y = 0; y < rows.length; y++) {
      var cell = rows[y][at[1]];
      if (cell && at[1] > 0) { cell.classList.add("col-hi"); lit.push(cell); }
    }
    var row = rows[at[0]][0] && rows[at[0]][0].parentNode;
    if (row) { row.classList.add("row-hi"); lit.push(row); }
  }
  table.addEventListener("mouseover", function (event) { light(place(event.target)); });
  table.addEventListener("mouseleave", function () {
    light(table.contains(document.activeElement) ? place(document.activeElement) : null);
  });
  table.addEventListener("focusout", function (event) {
    if (!table.contains(event.relatedTarget)) { light(null); }
  });

  table.addEventListener("focusin", function (event) {
    var at = place(event.target);
    light(at);
    if (!at) { return; }
    var y = at[0], x = at[1];
    if (y !== current.row || x !== current.col) {
      var old = focusable(rows[current.row][current.col]);
      if (old && old !== event.target) { old.setAttribute("tabindex", "-1"); }
      event.target.setAttribute("tabindex", "0");
      current = { row: y, col: x };
    }
  });

  table.addEventListener("keydown", function (event) {
    var row = current.row, col = current.col, page = 10;
    switch (event.key) {
      case "ArrowRight": col++; break;
      case "ArrowLeft": col--; break;
      case "ArrowDown": row++; break;
      case "ArrowUp": row--; break;
      case "PageDown": row += page; break;
      case "PageUp": row -= page; break;
      case "Home": if (event.ctrlKey) { row = 1; } col = 0; break;
      case "End": if (event.ctrlKey) { row = rows.length - 1; } col = rows[row].length - 1; break;
      default: return;
    }
    event.preventDefault();
    if (col < 0) { col = 0; }
    move(row, col);
  });
})();

/* The tree beside an item scrolls on its own: bring the selected item into its view. */
(function () {
  "use strict";
  var pane = document.querySelector(".tree-pane");
  var current = pane && pane.querySelector("[aria-current=page]");
  if (!current || pane.scrollHeight <= pane.clientHeight) { return; }
  var top = current.getBoundingClientRect().top - pane.getBoundingClientRect().top;
  pane.scrollTop += top - pane.clientHeight / 3;
})();

/* A table wider than the screen says so above it (the shadow at its edge says it too). */
(function () {
  "use strict";
  var frames = document.querySelectorAll(".table-scroll, .matrix-frame.small .matrix-scroll");
  function mark() {
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      var hint = frame.previousElementSibling;
      var wide = frame.scrollWidth > frame.clientWidth + 2;
      if (wide && !(hint && hint.classList.contains("scroll-hint"))) {
        hint = document.createElement("span");
        hint.className = "scroll-hint";
        hint.textContent = "Scroll sideways to see every column →";
        frame.parentNode.insertBefore(hint, frame);
      } else if (!wide && hint && hint.classList.contains("scroll-hint")) {
        hint.remove();
      }
    }
  }
  mark();
  window.addEventListener("resize", mark);
})();

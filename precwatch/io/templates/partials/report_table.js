// Paging, sorting and filtering of a table with class "paged" (the report inlines this; the pages serve it).
(function () {
  "use strict";
  var PAGE = 100;
  document.querySelectorAll("table.paged").forEach(function (table) {
    var body = table.tBodies[0];
    var all = Array.prototype.slice.call(body.rows);
    var shown = all, page = 0;
    var filter = document.querySelector("input.table-filter[data-table='" + table.id + "']");
    var pager = document.querySelector(".table-pager[data-table='" + table.id + "']");
    function draw() {
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      page = Math.min(page, pages - 1);
      all.forEach(function (r) { r.hidden = true; });
      shown.slice(page * PAGE, (page + 1) * PAGE).forEach(function (r) { r.hidden = false; body.appendChild(r); });
      if (pager) {
        pager.querySelector(".page-info").textContent = (page + 1) + " / " + pages + " (" + shown.length + ")";
        pager.querySelector(".prev").disabled = page === 0;
        pager.querySelector(".next").disabled = page >= pages - 1;
      }
    }
    if (pager) {
      pager.querySelector(".prev").addEventListener("click", function () { page -= 1; draw(); });
      pager.querySelector(".next").addEventListener("click", function () { page += 1; draw(); });
    }
    if (filter) {
      filter.addEventListener("input", function () {
        var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        shown = all.filter(function (row) {
          var text = row.textContent.toLowerCase();
          return words.every(function (w) { return text.indexOf(w) >= 0; });
        });
        page = 0; draw();
      });
    }
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.addEventListener("click", function () {
        var index = th.cellIndex, numeric = th.getAttribute("data-sort") === "number";
        var down = th.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", down ? "descending" : "ascending");
        function key(r) { return r.cells[index].textContent.trim(); }
        var cmp = function (a, b) {
          var x = key(a), y = key(b);
          var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return down ? -c : c;
        };
        all.sort(cmp); shown.sort(cmp); page = 0; draw();
      });
    });
    draw();
  });
})();

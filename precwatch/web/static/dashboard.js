// Draws a page's stacked bar chart (dashboard: substances per month; market: offers per capture date) from the
// JSON block the page carries (no inline script).
(function () {
  "use strict";
  var block = document.getElementById("substances-data") || document.getElementById("offers-data");
  var canvas = document.getElementById("substances-chart") || document.getElementById("offers-chart");
  if (!block || !canvas) { return; }
  var data = JSON.parse(block.textContent);
  var colours = ["#b03a2e", "#1f618d", "#b9770e", "#117a65", "#6c3483", "#566573"];
  var names = Object.keys(data.series);
  var chart = new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.months,
      datasets: names.map(function (name, i) {
        return { label: name, data: data.series[name], backgroundColor: colours[i % colours.length] };
      })
    },
    options: { animation: false, responsive: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
  canvas.setAttribute("data-rendered", String(chart.data.datasets.length));
})();

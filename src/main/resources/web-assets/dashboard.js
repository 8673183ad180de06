// Draws the dashboard's charts from the data attributes the server put on each canvas.
(function () {
  "use strict";
  var brand = "#0a58ca";
  function trend(id) {
    var canvas = document.getElementById(id);
    return canvas ? { canvas: canvas, data: JSON.parse(canvas.getAttribute("data-trend")) } : null;
  }
  var nps = trend("nps-trend");
  if (nps) {
    var d = nps.data;
    var low = d.nps.map(function (v, i) { return v === null || d.moe[i] === null ? null : Math.max(-100, v - d.moe[i]); });
    var high = d.nps.map(function (v, i) { return v === null || d.moe[i] === null ? null : Math.min(100, v + d.moe[i]); });
    new Chart(nps.canvas, {
      type: "line",
      data: {
        labels: d.labels,
        datasets: [
          { label: "lower bound", data: low, borderWidth: 0, pointRadius: 0, fill: false },
          { label: "95% margin", data: high, borderWidth: 0, pointRadius: 0, fill: "-1", backgroundColor: "rgba(10,88,202,0.15)" },
          { label: "NPS", data: d.nps, borderColor: brand, backgroundColor: brand, borderWidth: 3, tension: 0.25 }
        ]
      },
      options: {
        maintainAspectRatio: false, animation: false,
        scales: { y: { suggestedMin: -20, suggestedMax: 60, title: { display: true, text: "NPS" } } },
        plugins: { legend: { labels: { filter: function (item) { return item.text !== "lower bound"; } } },
          tooltip: { callbacks: { afterLabel: function (ctx) {
            return ctx.datasetIndex === 2 && d.moe[ctx.dataIndex] !== null ? "± " + d.moe[ctx.dataIndex] + " (n = " + d.responded[ctx.dataIndex] + ")" : "";
          } } } }
      }
    });
  }
  var rate = trend("rate-trend");
  if (rate) {
    new Chart(rate.canvas, {
      type: "bar",
      data: { labels: rate.data.labels, datasets: [{ label: "Response rate (%)", data: rate.data.rate, backgroundColor: "#1a7f37" }] },
      options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, suggestedMax: 60 } } }
    });
  }
})();
// A campaign's 0-10 distribution, detractors red, passives amber, promoters green.
(function () {
  "use strict";
  var canvas = document.getElementById("distribution");
  if (!canvas) {
    return;
  }
  var scores = JSON.parse(canvas.getAttribute("data-scores"));
  var colors = scores.map(function (_, i) { return i <= 6 ? "#b42318" : i <= 8 ? "#8a6d00" : "#1a7f37"; });
  new Chart(canvas, {
    type: "bar",
    data: { labels: scores.map(function (_, i) { return String(i); }), datasets: [{ label: "Answers", data: scores, backgroundColor: colors }] },
    options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } }
  });
})();
// A campaign's next 30 days: invitations and reminders per day, stacked.
(function () {
  "use strict";
  var canvas = document.getElementById("forecast");
  if (!canvas) {
    return;
  }
  var f = JSON.parse(canvas.getAttribute("data-forecast"));
  new Chart(canvas, {
    type: "bar",
    data: { labels: f.labels, datasets: [
      { label: "Invitations", data: f.invites, backgroundColor: "#0a58ca", stack: "s" },
      { label: "Reminders", data: f.reminders, backgroundColor: "#8fb3e8", stack: "s" }] },
    options: { maintainAspectRatio: false, animation: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
  });
})();
// The Segments page: one line (or bar set) per first value of the breakdown, the benchmark dashed.
(function () {
  "use strict";
  var canvas = document.getElementById("segments-chart");
  if (!canvas) {
    return;
  }
  var c = JSON.parse(canvas.getAttribute("data-chart"));
  var palette = ["#0a58ca", "#1a7f37", "#b42318", "#8a6d00", "#6f42c1", "#0e7490", "#c2410c", "#57606a"];
  var datasets = c.series.map(function (s, i) {
    var color = palette[i % palette.length];
    return { label: s.name, data: s.data, borderColor: color, backgroundColor: color, borderWidth: 2, tension: 0.25, spanGaps: true };
  });
  if (c.benchmark !== null) {
    datasets.push({ type: "line", label: "Industry benchmark", data: c.labels.map(function () { return c.benchmark; }),
      borderColor: "#57606a", backgroundColor: "#57606a", borderDash: [6, 4], borderWidth: 2, pointRadius: 0 });
  }
  new Chart(canvas, {
    type: c.type,
    data: { labels: c.labels, datasets: datasets },
    options: { maintainAspectRatio: false, animation: false,
      scales: { y: { title: { display: true, text: c.metric } } } }
  });
})();

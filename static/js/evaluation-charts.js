/* Charts of the evaluation report pages (Chart.js, vendored in static/vendor/chartjs).
   The data come from the page's <script type="application/json" id="evaluation-chart-data">. */
(function () {
  "use strict";
  var source = document.getElementById("evaluation-chart-data");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var scale = { min: 0, max: 5, ticks: { stepSize: 1 } };

  function bar(id, labels, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !labels.length) return;
    canvas.dataset.chartReady = "true";
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, animation: false }, options || {}),
    });
  }

  bar("chart-sections", data.sections.labels, [
    { label: data.labels.mean, data: data.sections.values, backgroundColor: "#0d6efd" },
  ], { scales: { y: scale } });

  bar("chart-items", data.items.labels, [
    {
      label: data.labels.mean,
      data: data.items.values,
      backgroundColor: data.items.values.map(function (v) {
        return v < data.threshold ? "#dc3545" : "#198754";
      }),
    },
  ], { indexAxis: "y", scales: { x: scale } });

  bar("chart-batches", data.batches.labels, [
    { label: data.labels.relevance, data: data.batches.relevance, backgroundColor: "#6f42c1", yAxisID: "y" },
    { label: data.labels.gain, data: data.batches.gain, backgroundColor: "#fd7e14", yAxisID: "y1" },
  ], {
    scales: {
      y: scale,
      y1: { position: "right", grid: { drawOnChartArea: false } },
    },
  });
})();

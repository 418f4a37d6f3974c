// Draws each dashboard chart from the JSON next to it (rendered with json_script); the data
// table under each chart is its accessible alternative and what is exported.
(function () {
  if (!window.Chart) return;
  // Colours with at least 3:1 contrast on white (WCAG 1.4.11 for graphics).
  const palette = ["#0b5394", "#b45309", "#047857", "#7e22ce", "#be123c", "#374151"];
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const line = spec.type === "line";
    const datasets = spec.datasets.map((set, i) => ({
      label: set.label,
      data: set.data,
      backgroundColor: palette[i % palette.length],
      borderColor: palette[i % palette.length],
      borderWidth: line ? 2 : 0,
      pointRadius: line ? 3 : 0,
      tension: 0.2,
      fill: false,
    }));
    if (spec.target !== null && spec.target !== undefined && !spec.horizontal) {
      datasets.push({
        type: "line",
        label: spec.targetLabel,
        data: spec.labels.map(() => spec.target),
        borderColor: "#1f2937",
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        fill: false,
      });
    }
    const valueAxis = {
      beginAtZero: true,
      ticks: spec.percent ? { callback: (v) => v + "%" } : {},
    };
    if (spec.percent) valueAxis.max = 100;
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduceMotion ? false : { duration: 300 },
        scales: spec.horizontal ? { x: valueAxis } : { y: valueAxis },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
      },
    });
  });
})();

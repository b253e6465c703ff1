// Draws the stacked bar chart of every canvas carrying data-chart (labels, datasets, currency) with Chart.js.
(function () {
  var palette = ['#2458d6', '#11a37f', '#e0892b', '#8e44ad', '#c2352b', '#1fa2c9', '#7a8b13', '#d4508f', '#6b778c'];

  function draw(canvas) {
    if (canvas.getAttribute('data-drawn') || typeof Chart === 'undefined') {
      return;
    }
    var spec = JSON.parse(canvas.getAttribute('data-chart'));
    var currency = spec.currency ? ' ' + spec.currency : '';
    spec.datasets.forEach(function (d, i) {
      d.data = d.data.map(Number);
      d.backgroundColor = d.label === 'Other' ? '#b7bfcc' : palette[i % palette.length];
      d.borderWidth = 0;
    });
    new Chart(canvas, {
      type: 'bar',
      data: {labels: spec.labels, datasets: spec.datasets},
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: {mode: 'index', intersect: false},
        scales: {
          x: {stacked: true, grid: {display: false}},
          y: {stacked: true, ticks: {callback: function (v) { return v.toLocaleString() + currency; }}}
        },
        plugins: {
          legend: {position: 'bottom'},
          tooltip: {callbacks: {label: function (c) { return c.dataset.label + ': ' + c.parsed.y.toLocaleString(undefined, {minimumFractionDigits: 2}) + currency; }}}
        }
      }
    });
    canvas.setAttribute('data-drawn', 'true');
  }

  function drawAll() {
    document.querySelectorAll('canvas[data-chart]').forEach(draw);
  }

  document.addEventListener('DOMContentLoaded', drawAll);
  window.addEventListener('load', drawAll);
})();

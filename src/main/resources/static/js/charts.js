// Draws the console's charts (templates/charts.html) with Chart.js from the JSON endpoint named on each canvas.
// A canvas gets data-ready="true" once drawn, data-error when its figures could not be read.
(function () {
  'use strict';

  var COLOURS = {processed: '#1a7f4b', flagged: '#b7791f', needs_attention: '#c0352b'};

  function unit(maxSeconds) {
    if (maxSeconds < 120) { return {name: 'seconds', div: 1}; }
    if (maxSeconds < 7200) { return {name: 'minutes', div: 60}; }
    if (maxSeconds < 172800) { return {name: 'hours', div: 3600}; }
    return {name: 'days', div: 86400};
  }

  function outcomes(canvas, data) {
    return new Chart(canvas, {
      type: 'bar',
      data: {
        labels: data.days.map(function (d) { return d.substring(5); }),
        datasets: data.series.map(function (s) {
          return {label: s.label, data: s.counts, backgroundColor: COLOURS[s.outcome] || '#3157d5'};
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}},
        plugins: {legend: {position: 'bottom', labels: {boxWidth: 12}}}
      }
    });
  }

  function confirmationTimes(canvas, data) {
    var max = 0;
    data.weeks.forEach(function (w) { max = Math.max(max, w.p90Seconds || 0); });
    var u = unit(max);
    function scaled(key) {
      return data.weeks.map(function (w) { return w[key] == null ? null : w[key] / u.div; });
    }
    return new Chart(canvas, {
      type: 'line',
      data: {
        labels: data.weeks.map(function (w) { return w.week.substring(5); }),
        datasets: [
          {label: 'median', data: scaled('medianSeconds'), borderColor: '#3157d5', backgroundColor: '#3157d5',
            spanGaps: true},
          {label: '90th percentile', data: scaled('p90Seconds'), borderColor: '#c0352b', backgroundColor: '#c0352b',
            spanGaps: true}
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {y: {beginAtZero: true, title: {display: true, text: u.name}}},
        plugins: {legend: {position: 'bottom', labels: {boxWidth: 12}}}
      }
    });
  }

  var DRAW = {'outcomes': outcomes, 'confirmation-times': confirmationTimes};

  function draw(canvas) {
    var url = canvas.getAttribute('data-url');
    var kind = DRAW[canvas.getAttribute('data-chart')];
    if (!url || !kind || typeof Chart === 'undefined') { return; }
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (data) { kind(canvas, data); canvas.setAttribute('data-ready', 'true'); })
      .catch(function (e) { canvas.setAttribute('data-error', String(e)); });
  }

  function start() {
    document.querySelectorAll('canvas[data-chart]').forEach(draw);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();

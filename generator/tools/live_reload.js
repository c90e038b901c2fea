// Nextup serve mode only (never in a real build): reload this tab when a new build succeeds;
// while the latest edit does not build, show why over the page (the last good build stays).
(() => {
  'use strict';
  let firstBuild = null;
  const show = (problems) => {
    let panel = document.getElementById('nextup-build-problems');
    if (!problems.length) { if (panel) panel.remove(); return; }
    if (!panel) {
      panel = document.createElement('aside');
      panel.id = 'nextup-build-problems';
      panel.setAttribute('role', 'alert');
      Object.assign(panel.style, {
        position: 'fixed', left: '0', right: '0', bottom: '0', maxHeight: '50vh', overflow: 'auto',
        margin: '0', padding: '1rem', background: '#5c0f0f', color: '#fff', font: '14px/1.5 monospace',
        zIndex: '2147483647', whiteSpace: 'pre-wrap',
      });
      document.body.append(panel);
    }
    panel.textContent = `The latest edit does not build; showing the last good build.\n\n${problems.join('\n')}`;
  };
  const source = new EventSource('/__nextup/events');
  source.onmessage = (message) => {
    const { build, problems } = JSON.parse(message.data);
    if (firstBuild === null) firstBuild = build;
    else if (build !== firstBuild && !problems.length) { location.reload(); return; }
    show(problems);
  };
})();

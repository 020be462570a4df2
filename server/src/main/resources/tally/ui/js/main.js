// Picks the view from the path (as Prometheus's UI does: /, /query, /status, ...), mounts the range picker
// where a view has a time range, and reports a failure in the page rather than only in the console.
import { mountToolbar } from './toolbar.js';
import { overview } from './overview.js';
import { queryPage } from './query.js';
import { statusPage, tsdbPage, rulesPage, alertsPage } from './status.js';

const TITLES = { '/': 'Claude Code usage', '/query': 'Query', '/status': 'Status', '/tsdb-status': 'TSDB status',
  '/rules': 'Rules', '/alerts': 'Alerts' };

async function start() {
  // the view is the last path segment, so the page also works under a path prefix (a reverse proxy)
  const last = '/' + location.pathname.split('/').pop();
  const path = TITLES[last] ? last : '/';
  document.title = `${TITLES[path]} · Tally`;
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.nav === path));
  const view = document.getElementById('view');
  const toolbarEl = document.getElementById('toolbar');
  try {
    if (path === '/' || path === '/query') {
      const render = path === '/' ? await overview(view) : queryPage(view);
      const toolbar = mountToolbar(toolbarEl, (range) => render(range));
      await render(toolbar.range());
    } else {
      const pages = { '/status': statusPage, '/tsdb-status': tsdbPage, '/rules': rulesPage, '/alerts': alertsPage };
      await pages[path](view);
    }
  } catch (e) {
    view.insertAdjacentHTML('afterbegin', '<p class="error" id="page-error"></p>');
    view.querySelector('#page-error').textContent = 'The page failed: ' + e.message;
    throw e;
  }
}

// uPlot's script is deferred like this module; both have run by DOMContentLoaded
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();

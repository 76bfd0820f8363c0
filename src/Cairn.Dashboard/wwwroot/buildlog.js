// The build page's live log (docs/dev/dashboard.md, "The live log"). The page renders the last 1,000 lines and works
// without this module; it adds: lines as they are written (Server-Sent Events, resumed by Last-Event-ID), phases that
// begin and end (and the phases table fetched again as they do), follow mode that stops when the reader scrolls up, #L12 and #L12-20 links that load what they need,
// "load earlier" in place, and next/previous over the server's search. Text arrives as escaped HTML from the server.

const log = document.getElementById('log');
if (log && log.dataset.count !== undefined && log.dataset.count !== '') {
  start(log);
}

function start(log) {
  const body = log.querySelector('.log-body');
  const follow = log.querySelector('#log-follow');
  const state = log.querySelector('.log-state');
  const number = (name) => Number(log.dataset[name]);
  let first = number('start');
  let count = number('count');
  const followLabel = log.querySelector('label.follow');

  // Lines and sections.
  const sections = () => [...body.querySelectorAll('details.phase')];
  const sectionOf = (index) => {
    const all = sections();
    let found = all[0];
    for (const section of all) {
      if (Number(section.dataset.first) <= index) found = section;
    }
    return found;
  };
  const lineElement = (line) => {
    const div = document.createElement('div');
    div.className = 'line';
    div.id = `L${line.i + 1}`;
    div.dataset.i = String(line.i);
    const n = document.createElement('a');
    n.className = 'n';
    n.href = `#L${line.i + 1}`;
    n.textContent = String(line.i + 1);
    const t = document.createElement('time');
    t.className = 't';
    t.dateTime = line.t;
    t.textContent = line.t.slice(11, 23);
    const x = document.createElement('span');
    x.className = 'x';
    x.innerHTML = line.h; // escaped by the server; colours are classes
    div.append(n, t, x);
    return div;
  };
  const append = (line) => {
    if (document.getElementById(`L${line.i + 1}`)) return;
    sectionOf(line.i).querySelector('.lines').append(lineElement(line));
    count = Math.max(count, line.i + 1);
  };
  const prepend = (lines) => {
    // Lines before the first shown, oldest first: each section's share goes before its first line.
    const shares = new Map();
    for (const line of lines) {
      const section = sectionOf(line.i);
      if (!shares.has(section)) shares.set(section, document.createDocumentFragment());
      shares.get(section).append(lineElement(line));
    }
    for (const [section, fragment] of shares) {
      const target = section.querySelector('.lines');
      target.insertBefore(fragment, target.firstChild);
    }
    if (lines.length > 0) first = lines[0].i;
  };

  // Load earlier, in place.
  const earlier = log.querySelector('a.log-earlier');
  const loadEarlier = async () => {
    if (first <= 0) return false;
    const response = await fetch(`${log.dataset.lines}?before=${first}`, { headers: { accept: 'application/json' } });
    if (!response.ok) return false;
    const page = await response.json();
    prepend(page.lines);
    if (first <= 0 && earlier) earlier.remove();
    else if (earlier) earlier.textContent = `Load earlier lines (${first} before these)`;
    return page.lines.length > 0;
  };
  if (earlier) {
    earlier.addEventListener('click', (event) => {
      event.preventDefault();
      loadEarlier();
    });
  }

  // #L12 and #L12-20: load what is missing (a far line opens the server's page around it), open, mark, show.
  const ensureLoaded = async (index) => {
    if (index >= first) return true;
    if (first - index > 5000) {
      const around = Math.min(count, index + 500);
      location.assign(`${location.pathname}?end=${around}#L${index + 1}`);
      return false;
    }
    while (index < first && (await loadEarlier())) { /* a page at a time */ }
    return index >= first;
  };
  const reveal = (element, className) => {
    const section = element.closest('details');
    if (section) section.open = true;
    element.classList.add(className);
  };
  const showHash = async () => {
    const match = /^#L(\d+)(?:-L?(\d+))?$/.exec(location.hash);
    for (const marked of log.querySelectorAll('.line.hl')) marked.classList.remove('hl');
    if (!match) return;
    const from = Number(match[1]);
    const to = Math.max(from, Number(match[2] ?? match[1]));
    if (!(await ensureLoaded(from - 1))) return;
    for (let n = from; n <= to; n++) {
      const line = document.getElementById(`L${n}`);
      if (line) reveal(line, 'hl');
    }
    const target = document.getElementById(`L${from}`);
    if (target) {
      if (follow) follow.checked = false;
      target.scrollIntoView({ block: 'center' });
    }
  };
  let anchor = null;
  body.addEventListener('click', (event) => {
    const link = event.target.closest('a.n');
    if (!link) return;
    const n = Number(link.textContent);
    if (event.shiftKey && anchor !== null) {
      event.preventDefault();
      history.replaceState(null, '', `#L${Math.min(anchor, n)}-${Math.max(anchor, n)}`);
      showHash();
    } else {
      anchor = n;
    }
  });
  window.addEventListener('hashchange', showHash);
  showHash();

  // Search: the server counts over the whole log; next and previous walk its matches.
  const form = log.querySelector('form.log-search');
  const result = form.querySelector('.search-result');
  const next = form.querySelector('.search-next');
  const previous = form.querySelector('.search-prev');
  let matches = [];
  let current = -1;
  const go = async (position) => {
    if (matches.length === 0) return;
    current = (position + matches.length) % matches.length;
    const index = matches[current];
    if (!(await ensureLoaded(index))) return;
    for (const marked of log.querySelectorAll('.line.match')) marked.classList.remove('match');
    const line = document.getElementById(`L${index + 1}`);
    if (line) {
      reveal(line, 'match');
      if (follow) follow.checked = false;
      line.scrollIntoView({ block: 'center' });
    }
    result.textContent = `${current + 1} of ${total} matching lines`;
  };
  let total = 0;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const term = form.querySelector('input[name=q]').value;
    const response = await fetch(`${log.dataset.search}?q=${encodeURIComponent(term)}`, { headers: { accept: 'application/json' } });
    const answer = await response.json();
    if (!response.ok) {
      result.textContent = `${answer.code}: ${answer.message}`;
      matches = [];
      return;
    }
    matches = answer.matches;
    total = answer.count;
    current = -1;
    next.hidden = previous.hidden = matches.length === 0;
    result.textContent = total === 1 ? '1 matching line' : `${total} matching lines`;
    if (matches.length > 0) go(0);
  });
  next.addEventListener('click', () => go(current + 1));
  previous.addEventListener('click', () => go(current - 1));

  // Live: only when the page shows the end of a log still being written.
  if (log.dataset.complete === 'true' || number('end') < count) return;
  followLabel.hidden = false;
  let lastY = window.scrollY;
  const atBottom = () => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 8;
  window.addEventListener('scroll', () => {
    if (window.scrollY < lastY - 2) follow.checked = false; // the reader scrolled up: stop following
    else if (atBottom()) follow.checked = true;
    lastY = window.scrollY;
  }, { passive: true });
  const keepUp = () => {
    if (follow.checked) window.scrollTo(0, document.documentElement.scrollHeight);
    lastY = window.scrollY;
  };

  const status = document.getElementById('build-status');
  const applyPhases = (data) => {
    if (status && data.status) {
      status.textContent = data.status;
      status.className = `status status-${data.status.toLowerCase().replaceAll('_', '-')}`;
    }
    for (const s of data.sections) {
      let section = body.querySelector(`details.phase[data-phase="${s.phase}"]`);
      if (!section) {
        section = document.createElement('details');
        section.className = 'phase';
        section.dataset.phase = s.phase;
        const summary = document.createElement('summary');
        for (const name of ['phase-name', 'status', 'duration', 'count']) {
          const span = document.createElement('span');
          span.className = name;
          summary.append(span, ' ');
        }
        summary.querySelector('.phase-name').textContent = s.phase;
        const lines = document.createElement('div');
        lines.className = 'lines';
        section.append(summary, lines);
        body.append(section);
      }
      section.dataset.first = String(s.first);
      const shown = section.querySelector('.status');
      if (shown.textContent !== s.status) {
        shown.textContent = s.status;
        shown.className = `status status-${(s.status || 'none').toLowerCase().replaceAll('_', '-')}`;
        section.open = s.open;
      }
      section.querySelector('.duration').textContent = s.duration;
      section.querySelector('.count').textContent = `${s.lines} lines`;
    }
    // Lines that arrived before their phase was known move to it.
    for (const line of [...body.querySelectorAll('.line')]) {
      const home = sectionOf(Number(line.dataset.i));
      if (line.closest('details') !== home) {
        const target = home.querySelector('.lines');
        const after = [...target.children].find((other) => Number(other.dataset.i) > Number(line.dataset.i));
        target.insertBefore(line, after ?? null);
      }
    }
  };

  // The phases table (times, contexts, hints) is the server's: fetched again whenever a phase begins or ends and once at
  // the end, one fetch at a time, so it never says PROVISIONING under a status that says SUCCEEDED.
  let phasesFetch = Promise.resolve();
  const refreshPhasesTable = () => {
    phasesFetch = phasesFetch.then(async () => {
      const response = await fetch(location.pathname + location.search, { headers: { accept: 'text/html' } });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('table.phases');
      const shown = document.querySelector('table.phases');
      if (fresh && shown) shown.replaceWith(fresh);
    }).catch(() => {}); // the next phase change tries again; a reload always shows the server's table
  };

  const events = new EventSource(`${log.dataset.events}?from=${count}`);
  events.onmessage = (event) => {
    append(JSON.parse(event.data));
    keepUp();
  };
  events.addEventListener('phases', (event) => {
    applyPhases(JSON.parse(event.data));
    refreshPhasesTable();
    keepUp();
  });
  events.addEventListener('end', (event) => {
    events.close();
    applyPhases({ status: JSON.parse(event.data).status, sections: [] });
    refreshPhasesTable();
    followLabel.hidden = true;
    if (state) state.textContent = '';
    log.dataset.complete = 'true';
  });
  keepUp();
}

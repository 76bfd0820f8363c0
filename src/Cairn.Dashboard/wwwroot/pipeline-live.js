// Keeps the pipeline page's stage graph and history current while an execution runs. The server tells the page when
// the pipeline's executions changed (Server-Sent Events from #pipeline-live's data-changes URL, fed by the execution
// store's change feed, so a change made by any server on the same database arrives within about a second); the page
// then fetches itself (the same authorized render as a reload) and swaps #pipeline-live. It stops when the fetched page
// has nothing running (data-live gone); while the tab is hidden or the user is writing in one of its forms, a change
// waits until the tab is visible again or the next change.
let pending = false;
let fetching = false;
let source = null;

function busy(root) {
  const active = document.activeElement;
  if (active && root.contains(active) && active.matches("input, textarea, select")) {
    return true;
  }
  return [...root.querySelectorAll("textarea, input:not([type=hidden]):not([type=checkbox])")].some((field) => field.value !== "");
}

async function refresh() {
  const current = document.getElementById("pipeline-live");
  if (!current || !current.hasAttribute("data-live")) {
    stop();
    return;
  }
  if (fetching || document.visibilityState !== "visible" || busy(current)) {
    pending = true;
    return;
  }
  pending = false;
  fetching = true;
  try {
    const response = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin", cache: "no-store" });
    if (response.ok && !response.redirected) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const next = page.getElementById("pipeline-live");
      if (next) {
        current.replaceWith(document.adoptNode(next));
        if (!next.hasAttribute("data-live")) {
          stop();
        }
      }
    } else {
      pending = true;
    }
  } catch {
    // Server restarting or network: the next change (or the stream's reconnect) tries again.
    pending = true;
  } finally {
    fetching = false;
  }
  if (pending) {
    setTimeout(refresh, 1000);
  }
}

function stop() {
  if (source) {
    source.close();
    source = null;
  }
}

const live = document.getElementById("pipeline-live");
if (live && live.hasAttribute("data-live") && live.dataset.changes) {
  source = new EventSource(live.dataset.changes);
  source.addEventListener("change", refresh);
  // A reconnect (after the first connection) may have missed a change: render once more.
  let opened = false;
  source.addEventListener("open", () => {
    if (opened) {
      refresh();
    }
    opened = true;
  });
  document.addEventListener("visibilitychange", () => {
    if (pending && document.visibilityState === "visible") {
      refresh();
    }
  });
}

// Keeps the pipeline page's stage graph and history current while an execution runs: fetches the page itself (the
// same authorized render as a reload) every few seconds and swaps #pipeline-live. It stops when the fetched page has
// nothing running (data-live gone), while the tab is hidden, and while the user is writing in one of its forms.
const intervalMs = 5000;

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
    return;
  }
  try {
    if (document.visibilityState === "visible" && !busy(current)) {
      const response = await fetch(location.href, { headers: { Accept: "text/html" }, credentials: "same-origin", cache: "no-store" });
      if (response.ok && !response.redirected) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = page.getElementById("pipeline-live");
        if (next) {
          current.replaceWith(document.adoptNode(next));
        }
      }
    }
  } finally {
    // A failed fetch (server restarting, network) tries again at the next tick.
    setTimeout(refresh, intervalMs);
  }
}

setTimeout(refresh, intervalMs);

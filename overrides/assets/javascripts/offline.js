// The handbook offline, in the page: registers the service worker (sw.js, written by
// offline/worker.py), says in the footer whether the handbook is ready offline and how
// large it is, asks the worker to fetch the tools' runtime once the pages are in, and
// offers "Reload" when a new version of the site is waiting.
(() => {
  const script = document.currentScript;
  const workers = navigator.serviceWorker;
  if (!workers) return;
  if (script.dataset.enabled !== "true") {
    // `mkdocs serve`: a worker left here by a built copy would hide the writer's edits.
    workers.getRegistrations().then((all) => all.forEach((registration) => registration.unregister()));
    return;
  }
  // Instant navigation shows new pages without the browser's own update check.
  const UPDATE_CHECK_MS = 60000;
  const workerUrl = new URL(script.dataset.worker, location.href);
  let report = null;
  let failure = "";
  let hadController = Boolean(workers.controller);
  let lastCheck = Date.now();

  const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

  function describe() {
    if (failure) return ["failed", `The handbook is not available offline: ${failure}.`];
    if (!report) return ["saving", "Saving the handbook for offline reading…"];
    const { pages, runtime, snapshot } = report;
    if (runtime.ready) {
      // The engine saved after its first start (engine-worker.mjs) is on the device too.
      const bytes = pages.bytes + runtime.bytes + (snapshot?.bytes ?? 0);
      return ["ready", `Ready offline, tools included: ${megabytes(bytes)} on this device.`];
    }
    if (runtime.error && !runtime.busy) {
      return ["pages", `Pages ready offline (${megabytes(pages.bytes)}); the tools are not: ${runtime.error}.`];
    }
    return [
      "pages",
      `Pages ready offline (${megabytes(pages.bytes)}); saving the tools: ` +
        `${megabytes(runtime.cached)} of ${megabytes(runtime.bytes)}…`,
    ];
  }

  // The footer is part of what instant navigation replaces: draw the line again each time.
  function render() {
    const footer = document.querySelector(".md-copyright") || document.querySelector("footer");
    if (!footer) return;
    let line = document.getElementById("hb-offline-status");
    if (!line) {
      line = document.createElement("p");
      line.id = "hb-offline-status";
      line.className = "hb-offline";
      line.setAttribute("role", "status");
      footer.append(line);
    }
    const [state, text] = describe();
    // User Timing marks: the benchmark reads when the handbook became ready offline.
    if (state !== line.dataset.state && performance.getEntriesByName(`offline:${state}`).length === 0) {
      performance.mark(`offline:${state}`);
    }
    line.dataset.state = state;
    if (line.textContent !== text) line.textContent = text;
  }

  function offerUpdate(registration) {
    if (document.getElementById("hb-update")) return;
    const bar = document.createElement("aside");
    bar.id = "hb-update";
    bar.className = "hb-update";
    bar.setAttribute("aria-label", "New version of the handbook");
    const text = document.createElement("p");
    text.setAttribute("role", "status");
    text.textContent = "A new version of the handbook is available.";
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload";
    button.addEventListener("click", () => {
      button.disabled = true;
      // The new worker takes over, every tab of the site reloads (controllerchange).
      if (registration.waiting) registration.waiting.postMessage({ type: "skip-waiting" });
      else location.reload();
    });
    bar.append(text, button);
    document.body.append(bar);
  }

  function watch(registration) {
    if (registration.waiting && workers.controller) offerUpdate(registration);
    registration.addEventListener("updatefound", () => {
      const incoming = registration.installing;
      incoming?.addEventListener("statechange", () => {
        if (incoming.state === "installed" && workers.controller) offerUpdate(registration);
      });
    });
    window.document$?.subscribe(() => {
      render();
      if (Date.now() - lastCheck > UPDATE_CHECK_MS) {
        lastCheck = Date.now();
        registration.update().catch(() => {});
      }
    });
  }

  workers.addEventListener("message", ({ data }) => {
    if (data && data.type === "status") {
      report = data;
      render();
    }
  });

  // A new version took over, from this tab or another: show it whole, never a page
  // of the old version next to assets of the new.
  workers.addEventListener("controllerchange", () => {
    if (hadController) location.reload();
    hadController = true;
  });

  render();
  workers
    .register(workerUrl)
    .then((registration) => {
      watch(registration);
      return workers.ready;
    })
    .then((registration) => {
      registration.active.postMessage({ type: "status" });
      // The tools' runtime (about 17 MB) only once this page has loaded what it needs.
      const fetchRuntime = () => registration.active?.postMessage({ type: "cache-runtime" });
      if ("requestIdleCallback" in window) requestIdleCallback(fetchRuntime, { timeout: 3000 });
      else setTimeout(fetchRuntime, 1000);
    })
    .catch((error) => {
      failure = error.message || String(error);
      render();
    });
})();

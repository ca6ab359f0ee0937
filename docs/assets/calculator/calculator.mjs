// Every decision tool's page glue: form state, URL, live region, and the engine's web
// worker. Shared by all tools: a tool is a `.calc[data-tool]` block rendered by the
// engine (macros/calculator.py), and this file knows nothing tool-specific.
//
// The HTML of every answer comes from the engine's Python renderer (at build time in
// the page, then from the worker), so this file only moves text around: it reads the
// form, keeps the URL in step, starts the worker (at once on a device that holds the
// engine's memory snapshot, else when the page is idle or at the first interaction),
// and puts the worker's answers in the page. One worker serves every tool on the
// page; its protocol is described at the top of engine-worker.mjs.

const FIELD_SELECTOR = "input[name], select[name]";
// After this long without "ready", say the download is slow (the engine keeps trying).
const SLOW_START_MS = 15000;
// The engine's worker saves a memory snapshot of Python here after its first start
// (engine-worker.mjs): a start that restores it downloads nothing and takes about a
// second, so it begins with the page instead of waiting for the page to be idle.
const SNAPSHOTS = "handbook-engine-snapshot";
// Where this page's search hears that it may start (assets/javascripts/workers/
// search-deferred.js): once the engine is ready or has failed, or the reader opens it.
const SEARCH_CHANNEL = "handbook-search";
const SEARCH_INPUT = "[data-md-component=search-query]";

const NOTES = {
  starting: "Starting the engine… you can keep typing; the answer updates when it is ready.",
  stage: (stage) => `Starting the engine (${stage})… you can keep typing; the answer updates when it is ready.`,
  slow: "Still starting the engine (a slow download?); the answer updates when it is ready.",
  ready: "Live: the answer updates as you change the inputs.",
  restarting: "The engine stopped; restarting it…",
};

/** One engine per page load: a module worker running Pyodide and the wheel. */
class Engine {
  constructor(config) {
    this.config = config;
    this.state = "idle";
    this.reason = "";
    this.stage = "";
    this.restarts = 0;
    this.nextId = 1;
    this.waiting = new Map();
    this.listeners = new Set();
    this.worker = null;
  }

  onState(listener) {
    this.listeners.add(listener);
    listener(this.state, this.reason, this.stage);
    return () => this.listeners.delete(listener);
  }

  setState(state, reason = "") {
    // User Timing marks: the benchmark (and devtools) read when each state began.
    if (state !== this.state) performance.mark(`calc:engine-${state}`);
    if (state !== this.state && (state === "ready" || state === "failed")) startSearch();
    this.state = state;
    this.reason = reason;
    for (const listener of this.listeners) listener(state, reason, this.stage);
  }

  start() {
    if (this.state === "idle") this.spawn();
  }

  // Whether ask() may be called: a worker is there, started or starting (it answers
  // a request that comes while it starts once it has started).
  get accepting() {
    return this.worker !== null && this.state !== "failed";
  }

  // The start a page asks for before any interaction: now if the engine was saved on
  // this device, else once the page is idle (a first start downloads the runtime).
  async startSoon() {
    if (await snapshotSaved()) this.start();
    else if ("requestIdleCallback" in window) requestIdleCallback(() => this.start(), { timeout: 2000 });
    else setTimeout(() => this.start(), 500);
  }

  spawn() {
    this.stage = "";
    this.setState(this.restarts ? "restarting" : "starting");
    let worker;
    try {
      worker = new Worker(this.config.worker, { type: "module" });
    } catch (error) {
      this.setState("failed", `this browser cannot run the engine's module worker (${error.message})`);
      return;
    }
    this.worker = worker;
    worker.addEventListener("message", ({ data }) => this.receive(worker, data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.crash(worker, event.message || "the engine's worker could not load or stopped");
    });
    worker.addEventListener("messageerror", () => this.crash(worker, "a message to the engine was lost"));
    // The page's tools as they are when the engine starts (the head may have asked for
    // it before the body was in): a first start answers each once before "ready".
    const tools = [...document.querySelectorAll("[data-tool][data-lock]")].map((r) => r.dataset.tool);
    worker.postMessage({ type: "start", config: { ...this.config, tools: [...new Set(tools)] } });
  }

  receive(worker, message) {
    if (worker !== this.worker) return;
    if (message.type === "progress") {
      this.stage = message.stage;
      this.setState(this.state);
    } else if (message.type === "ready") {
      // User Timing marks again: whether this start restored the saved engine, and
      // when a first start has saved it (the tests and the benchmark wait on them).
      if (message.restored) performance.mark("calc:engine-restored");
      this.setState("ready");
    } else if (message.type === "snapshot") {
      if (message.saved) performance.mark("calc:engine-snapshot-saved");
      else console.warn(`The engine starts afresh next time: ${message.reason}`);
    }
    else if (message.type === "failed") this.crash(worker, message.reason);
    else if (message.type === "violation") {
      console.error(`Content-Security-Policy blocked ${message.blocked} (${message.directive}) in the engine`);
    } else if (message.type === "answer") {
      const pending = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (pending && message.failure) pending.reject(new Error(message.failure));
      else if (pending) pending.resolve(message);
    }
  }

  // A worker that failed or died is replaced once; a second failure is final.
  crash(worker, reason) {
    if (worker !== this.worker) return;
    worker.terminate();
    this.worker = null;
    for (const pending of this.waiting.values()) pending.reject(new EngineStopped(reason));
    this.waiting.clear();
    if (this.restarts < 1) {
      this.restarts += 1;
      this.spawn();
    } else {
      this.setState("failed", reason);
    }
  }

  ask(request) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: "answer", id, request: JSON.stringify(request) });
    });
  }
}

class EngineStopped extends Error {}

// On a tool page, search builds its index only once this is posted, so that a saved
// engine restores first (assets/javascripts/workers/search-deferred.js).
function startSearch() {
  try {
    const channel = new BroadcastChannel(SEARCH_CHANNEL);
    channel.postMessage("start");
    channel.close();
  } catch {
    // No BroadcastChannel: search starts on its own a few seconds later.
  }
}

async function snapshotSaved() {
  try {
    return await caches.has(SNAPSHOTS);
  } catch {
    return false; // no Cache Storage here (a private window): nothing was saved
  }
}

let sharedEngine = null;

function engineFor(root) {
  // Kept across Material's instant navigation, so a return visit is answered at once.
  if (!sharedEngine || sharedEngine.config.lock !== absolute(root.dataset.lock)) {
    sharedEngine = new Engine({
      worker: absolute(root.dataset.worker),
      pyodide: absolute(root.dataset.pyodide),
      stdlib: absolute(root.dataset.stdlib),
      lock: absolute(root.dataset.lock),
    });
  }
  return sharedEngine;
}

function absolute(url) {
  return new URL(url, document.baseURI).href;
}

/** One tool on the page: its form, its answer region, its share of the engine. */
class Calculator {
  constructor(root) {
    this.root = root;
    this.form = root.querySelector(".calc-form");
    this.answer = root.querySelector(".calc-answer");
    this.status = root.querySelector(".calc-status");
    this.note = root.querySelector(".calc-engine");
    NOTES.idle ??= this.note.textContent;
    this.copyStatus = root.querySelector(".calc-copy-status");
    this.buildTimeFields = JSON.stringify(this.fields(true));
    this.pending = null;
    this.busy = false;
    // The live region speaks once per change the reader commits (see announce()).
    this.announcePending = false;
    this.message = "";
    this.changedAt = 0;
    this.slowTimer = 0;
    this.engine = engineFor(root);
  }

  connect() {
    this.applyQuery(new URLSearchParams(location.search));
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.commit();
    });
    this.form.addEventListener("input", () => this.changed());
    // "change" comes when a choice is made, a box ticked, or a typed value is left or
    // confirmed with Enter: not on every keystroke.
    this.form.addEventListener("change", () => this.commit());
    // A reset restores the controls only after the event: read them a task later.
    this.form.addEventListener("reset", () =>
      setTimeout(() => {
        this.changed();
        this.commit();
      }, 0),
    );
    const copy = this.root.querySelector(".calc-copy");
    copy.hidden = false;
    copy.addEventListener("click", () => this.copyLink());
    this.root.querySelector(".calc-reset").hidden = false;

    this.stopListening = this.engine.onState((...args) => this.engineState(...args));
    const start = () => this.engine.start();
    for (const type of ["focusin", "pointerdown", "keydown"]) {
      this.root.addEventListener(type, start, { once: true, passive: true });
    }
    if (JSON.stringify(this.fields()) !== this.buildTimeFields) {
      // The link carried inputs: the build-time answer is not theirs, start now.
      this.changed();
    } else {
      this.engine.startSoon();
    }
  }

  // The controls' text, as they are now or (asBuilt) as the page was built.
  fields(asBuilt = false) {
    const fields = {};
    for (const control of this.form.querySelectorAll(FIELD_SELECTOR)) {
      if (control.type === "checkbox") {
        const checked = asBuilt ? control.defaultChecked : control.checked;
        fields[control.name] = checked ? "true" : "false";
      } else if (control.tagName === "SELECT" && asBuilt) {
        const option = [...control.options].find((o) => o.defaultSelected) ?? control.options[0];
        fields[control.name] = option.value;
      } else {
        fields[control.name] = asBuilt ? control.defaultValue : control.value;
      }
    }
    return fields;
  }

  applyQuery(params) {
    for (const [name, value] of params) {
      const control = this.form.elements.namedItem(name);
      if (!control || !control.matches?.(FIELD_SELECTOR)) continue;
      if (control.type === "checkbox") {
        control.checked = value === "true";
      } else if (control.tagName === "SELECT" && ![...control.options].some((o) => o.value === value)) {
        // Keep a value the engine does not know, so it can say what is allowed.
        control.add(new Option(value, value, false, true));
      } else {
        control.value = value;
      }
    }
  }

  changed() {
    this.changedAt = performance.now();
    this.writeQuery();
    this.pending = this.fields();
    if (this.engine.state === "idle") this.engine.start();
    if (this.engine.state !== "ready") this.root.classList.add("calc--stale");
    this.next();
  }

  writeQuery() {
    const url = new URL(location.href);
    for (const control of this.form.querySelectorAll(FIELD_SELECTOR)) {
      const value = control.type === "checkbox" ? String(control.checked) : control.value;
      if (value === control.dataset.default) url.searchParams.delete(control.name);
      else url.searchParams.set(control.name, value);
    }
    history.replaceState(history.state, "", url);
  }

  // At most one request in flight; while it runs, newer input replaces older, so
  // fast typing never queues up work and the last value always gets answered.
  next() {
    if (this.busy || !this.pending || !this.engine.accepting) return;
    const fields = this.pending;
    this.pending = null;
    this.busy = true;
    this.engine
      .ask({
        tool: this.root.dataset.tool,
        fields,
        site_root: this.root.dataset.siteRoot,
        directory_urls: this.root.dataset.directoryUrls === "true",
      })
      .then((message) => {
        if (!this.pending) this.show(JSON.parse(message.response), message.ms);
      })
      .catch((error) => {
        if (error instanceof EngineStopped) this.pending ??= fields;
        else this.showFailure(error.message);
      })
      .finally(() => {
        this.busy = false;
        this.next();
        this.announce();
      });
  }

  show(response, engineMs) {
    for (const message of this.form.querySelectorAll(".calc-error")) {
      message.hidden = true;
      message.textContent = "";
    }
    for (const control of this.form.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
    }
    if (response.error) {
      const control = this.form.elements.namedItem(response.error_field);
      const message = control && this.form.querySelector(`#${control.id}-error`);
      if (message) {
        message.textContent = response.error;
        message.hidden = false;
        control.setAttribute("aria-invalid", "true");
      }
      this.root.classList.add("calc--stale");
      this.message = response.error;
      this.note.textContent = message
        ? "Fix the marked field to update the answer."
        : `The engine cannot use this input: ${response.error}`;
    } else {
      this.answer.innerHTML = response.html;
      this.root.classList.remove("calc--stale");
      this.message = response.summary;
      this.note.textContent = NOTES.ready;
    }
    // For the benchmark and tests: how long the change took, and the engine's share.
    performance.mark("calc:answer");
    const detail = { latency: performance.now() - this.changedAt, engineMs, response };
    this.root.dispatchEvent(new CustomEvent("calc:answer", { bubbles: true, detail }));
  }

  commit() {
    this.announcePending = true;
    this.announce();
  }

  // The answer updates on every keystroke; a screen reader hears it once, when the
  // reader has committed a change and the answer on screen is for the inputs as they
  // are (nothing queued, nothing in flight).
  announce() {
    if (!this.announcePending || this.busy || this.pending || this.engine.state !== "ready") return;
    this.announcePending = false;
    this.status.textContent = this.message;
  }

  showFailure(reason) {
    this.note.textContent = `The engine failed on this input (${reason}); the answer shown is for earlier inputs.`;
  }

  engineState(state, reason, stage) {
    // Instant navigation replaced this page; the engine lives on for the next one.
    if (!this.root.isConnected) return this.stopListening?.();
    this.root.dataset.engine = state;
    clearTimeout(this.slowTimer);
    if (state === "failed") {
      this.note.textContent =
        `Live answers are unavailable: ${reason}. The answer shown was computed when this page ` +
        "was built, for the default inputs; the command line gives the same answers " +
        `(python -m decision_engine ${this.root.dataset.command}).`;
      this.note.classList.add("calc-engine--failed");
      this.status.textContent = this.note.textContent;
      return;
    }
    this.note.textContent = state === "starting" && stage ? NOTES.stage(stage) : NOTES[state];
    if (state === "starting") {
      this.slowTimer = setTimeout(() => (this.note.textContent = NOTES.slow), SLOW_START_MS);
    }
    if (state === "ready") this.next();
  }

  async copyLink() {
    this.writeQuery();
    try {
      await navigator.clipboard.writeText(location.href);
      this.copyStatus.textContent = "Link copied.";
    } catch {
      this.copyStatus.textContent = `Copy this link: ${location.href}`;
    }
  }
}

function connectAll() {
  for (const root of document.querySelectorAll(".calc[data-lock]")) {
    if (root.dataset.engine) continue;
    root.dataset.engine = "idle";
    new Calculator(root).connect();
  }
}

// A tool page loads this module from its head, with the engine's files as the script's
// data-* (overrides/main.html), and runs it as soon as it has loaded: a saved engine
// starts restoring while the page's body still loads. The tools connect once the whole
// page is in (a reader's input before that is taken then: see connect). Material's
// instant navigation swaps pages without reloading this module: its document$ tells
// us about every page, this one included.
const head = document.querySelector("head script[data-lock]");
if (head) engineFor(head).startSoon();
// A reader who opens search does not wait for the engine.
document.addEventListener("focusin", ({ target }) => target.matches?.(SEARCH_INPUT) && startSearch());

function followPages() {
  if (window.document$) window.document$.subscribe(connectAll);
  else connectAll();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", followPages, { once: true });
else followPages();

// The review page (assets/review/review.mjs) shares this page's engine.
export { engineFor, EngineStopped };

// The decision engine in Pyodide, off the page's main thread.
//
// Protocol (messages from the page):
//   {type: "start", config: {pyodide, stdlib, lock}}  -> "progress"s, "ready" or "failed"
//   {type: "answer", id, request}                     -> {type: "answer", id, response, ms}
// `request` and `response` are JSON strings for decision_engine.render_html's
// live_answer_json: the page never builds HTML itself.

let liveAnswer = null;

function post(message) {
  self.postMessage(message);
}

// A policy violation inside the worker is invisible to the page's own listener.
self.addEventListener("securitypolicyviolation", (event) => {
  post({ type: "violation", directive: event.violatedDirective, blocked: event.blockedURI });
});

async function start(config) {
  try {
    post({ type: "progress", stage: "downloading Python" });
    const { loadPyodide } = await import(config.pyodide + "pyodide.mjs");
    post({ type: "progress", stage: "starting Python" });
    const pyodide = await loadPyodide({
      indexURL: config.pyodide,
      stdLibURL: config.stdlib,
      lockFileURL: config.lock,
      // Fetched from the lock file's folder while Python starts, checked by sha256.
      packages: ["decision-engine"],
    });
    post({ type: "progress", stage: "loading the decision engine" });
    liveAnswer = pyodide.pyimport("decision_engine.render_html").live_answer_json;
    // One answer before saying "ready": the first calls pay for imports and cold
    // caches (about 100 ms here), better spent now than on the reader's first change.
    liveAnswer(JSON.stringify({ fields: {}, site_root: "./" }));
    post({ type: "ready" });
  } catch (error) {
    post({ type: "failed", reason: describe(error) });
  }
}

function answer({ id, request }) {
  const started = performance.now();
  try {
    const response = liveAnswer(request);
    post({ type: "answer", id, response, ms: performance.now() - started });
  } catch (error) {
    // A Python exception here is an engine bug, not bad input (the engine reports
    // that as data): say so for this request and stay up.
    post({ type: "answer", id, failure: describe(error) });
  }
}

function describe(error) {
  const text = String((error && error.message) || error);
  // A Python traceback's last line says what went wrong.
  return text.trim().split("\n").pop();
}

self.addEventListener("message", ({ data }) => {
  if (data.type === "start") start(data.config);
  else if (data.type === "answer") answer(data);
});

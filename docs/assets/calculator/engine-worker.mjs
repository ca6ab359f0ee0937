// The decision engine in Pyodide, off the page's main thread. One worker serves every
// decision tool on the page (and on the pages instant navigation brings in later).
//
// Protocol (messages from the page):
//   {type: "start", config: {pyodide, stdlib, lock, tools}}
//       -> {type: "progress", stage}..., then {type: "ready"} or {type: "failed", reason}
//   {type: "answer", id, request}
//       -> {type: "answer", id, response, ms}, or {type: "answer", id, failure}
// `request` is JSON {tool, fields, site_root, directory_urls}: the tool's id and its
// form's text values. `response` is JSON {html, summary, error_field, error}, from
// decision_engine.tool_page.answer_json: the page never builds HTML itself.
// Other messages to the page: {type: "violation", directive, blocked} (a CSP report).

let answerJson = null;

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
    answerJson = pyodide.pyimport("decision_engine.tool_page").answer_json;
    // One answer per tool of the page before saying "ready": the first calls pay for
    // imports and cold caches (about 100 ms here), better spent now than on the
    // reader's first change.
    for (const tool of config.tools ?? ["compute"]) {
      answerJson(JSON.stringify({ tool, fields: {}, site_root: "./" }));
    }
    post({ type: "ready" });
  } catch (error) {
    post({ type: "failed", reason: describe(error) });
  }
}

function answer({ id, request }) {
  const started = performance.now();
  try {
    const response = answerJson(request);
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

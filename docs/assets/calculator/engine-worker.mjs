// The decision engine in Pyodide, off the page's main thread. One worker serves every
// decision tool on the page (and on the pages instant navigation brings in later).
//
// Protocol (messages from the page):
//   {type: "start", config: {pyodide, stdlib, lock, tools}}
//       -> {type: "progress", stage}..., then {type: "ready", restored} or {type: "failed", reason};
//          after a start that did not restore a memory snapshot, then
//          {type: "snapshot", saved, bytes | reason} once one is saved (or not)
//   {type: "answer", id, request}   (also before "ready": it is answered once started)
//       -> {type: "answer", id, response, ms}, or {type: "answer", id, failure}
// `request` is JSON {tool, fields, site_root, directory_urls}: the tool's id and its
// form's text values. `response` is JSON {html, summary, error_field, error}, from
// decision_engine.tool_page.answer_json: the page never builds HTML itself.
// Other messages to the page: {type: "violation", directive, blocked} (a CSP report).

let answerJson = null;
// The start under way: a request that comes before it is over waits for it (the page
// sends the reader's first change at once, saving the round trip after "ready").
let started = null;
// After a restored start the engine's wheel is not in Python's file system (see
// start): () => the promise of it installed, asked for by a request that failed.
let installWheel = null;

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
    const key = snapshotKey(config);
    const saved = readSnapshot(key); // looked up while Pyodide's code loads
    // Pyodide imports its Emscripten module (1.2 MB) only once its own module has
    // loaded: ask for both at once (its own import of it is then this same module).
    // loadPyodide is called as soon as its module is there, not after both: it asks for
    // the wasm, the standard library and the lock file before it waits for the
    // Emscripten module, so those downloads start while that module compiles.
    const emscripten = import(config.pyodide + "pyodide.asm.mjs");
    emscripten.catch(() => {}); // a failure is loadPyodide's to report, below
    const { loadPyodide } = await import(config.pyodide + "pyodide.mjs");
    const options = {
      indexURL: config.pyodide,
      stdLibURL: config.stdlib,
      lockFileURL: config.lock,
      // Fetched from the lock file's folder while Python starts, checked by sha256.
      packages: ["decision-engine"],
    };
    let pyodide = null;
    const snapshot = await saved;
    if (snapshot) {
      post({ type: "progress", stage: "restoring Python" });
      try {
        // Its bytes arrive while Pyodide fetches the rest of the runtime. The snapshot
        // holds every tool's modules and data already read (see saveSnapshot), so the
        // wheel is left out of the start; a request that still needs a file of it
        // installs it then (see respond).
        pyodide = await loadPyodide({ ...options, packages: [], _loadSnapshot: snapshot.bytes });
        let wheel = null;
        installWheel = () => (wheel ??= pyodide.loadPackage("decision-engine"));
      } catch (error) {
        // Another Pyodide build's snapshot, or a damaged one: start afresh, make a new one.
        await forgetSnapshot(key, describe(error));
      }
    }
    const restored = Boolean(pyodide);
    if (!pyodide) {
      post({ type: "progress", stage: "starting Python" });
      pyodide = await loadPyodide({ ...options, _makeSnapshot: true });
    }
    post({ type: "progress", stage: "loading the decision engine" });
    answerJson = pyodide.pyimport("decision_engine.tool_page").answer_json;
    // One answer per tool of the page before saying "ready": the first calls pay for
    // imports and cold caches (about 100 ms here), better spent now than on the
    // reader's first change. A restored Python is as it was after these.
    for (const tool of restored ? [] : (config.tools ?? ["compute"])) {
      await respond(JSON.stringify({ tool, fields: {}, site_root: "./" }));
    }
    post({ type: "ready", restored });
    // After the reader's first answer (a queued "answer" message goes first).
    if (!restored) setTimeout(() => saveSnapshot(pyodide, key), 0);
  } catch (error) {
    post({ type: "failed", reason: describe(error) });
  }
}

// A memory snapshot of Python once the engine is imported and has answered: the next
// start on this device restores it instead of starting Python and importing the
// standard library and the engine again, the bulk of a start (bench/calculator.py
// has the figures). Pyodide's options for it (_makeSnapshot, _loadSnapshot) are
// undocumented and a snapshot only fits the Pyodide build that made it, so every
// failure here falls back to the ordinary start. One snapshot per device, named
// after the runtime's versioned files (the service worker drops it once they go).
const SNAPSHOTS = "handbook-engine-snapshot";

function snapshotKey(config) {
  const key = new URL(config.lock);
  key.searchParams.set("memory-snapshot", new URL(config.stdlib).pathname);
  return key.href;
}

// Resolves to null, or to {bytes: a promise of the snapshot} as soon as there is one.
async function readSnapshot(key) {
  try {
    const hit = await (await caches.open(SNAPSHOTS)).match(key);
    if (!hit) return null;
    const bytes = hit.arrayBuffer().then(unpackSnapshot);
    bytes.catch(() => {}); // a snapshot that does not unpack fails the restore, below
    return { bytes };
  } catch {
    return null; // no Cache Storage here (a private window): an ordinary start
  }
}

async function forgetSnapshot(key, reason) {
  post({ type: "snapshot", saved: false, reason: `the saved engine did not restore (${reason})` });
  try {
    await (await caches.open(SNAPSHOTS)).delete(key);
  } catch {
    // Nothing to delete from, nothing to restore next time either.
  }
}

async function saveSnapshot(pyodide, key) {
  try {
    // Every data file of the engine read and every tool answered once (which imports
    // its modules): the snapshot then holds all the engine needs, and a restored start
    // needs no wheel, whatever tool page it is on.
    pyodide.pyimport("decision_engine.facts").read_all_data();
    const renderers = pyodide.pyimport("decision_engine.tool_page").RENDERERS;
    for (const tool of renderers) answerJson(JSON.stringify({ tool, fields: {}, site_root: "./" }));
    renderers.destroy();
    // Pyodide snapshots only the JavaScript objects Python held at its own start; its
    // table of loaded packages is one and must be as it was then (empty), which is
    // also what a restored start has (the wheel is not installed again).
    const loaded = pyodide.loadedPackages;
    const names = { ...loaded };
    let bytes;
    for (const name of Object.keys(names)) delete loaded[name];
    try {
      bytes = pyodide.makeMemorySnapshot();
    } finally {
      Object.assign(loaded, names);
    }
    const cache = await caches.open(SNAPSHOTS);
    for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
    const packed = packSnapshot(bytes);
    const headers = { "Content-Type": "application/octet-stream", "Content-Length": String(packed.length) };
    await cache.put(key, new Response(packed, { headers }));
    post({ type: "snapshot", saved: true, bytes: packed.length });
  } catch (error) {
    post({ type: "snapshot", saved: false, reason: describe(error) });
  }
}

// A snapshot is Python's whole memory (31 MB), more than half of it long runs of
// zeros: it is kept without them, which halves what a restore reads from the cache
// (compressing it was slower: inflating costs more than reading). Layout, in 32-bit
// words: PACKED, the memory's length, the number of parts, each part's (offset,
// length), then the parts' bytes.
const PACKED = 0x31534248; // "HBS1"
const LONG_ZERO_RUN = 65536; // bytes; a shorter run stays in its part

function packSnapshot(memory) {
  const aligned = memory.byteOffset % 4 === 0 ? memory : memory.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2);
  const parts = [];
  let start = 0;
  let zerosFrom = -1;
  const endPart = (end) => {
    if (zerosFrom >= 0 && (end - zerosFrom) * 4 >= LONG_ZERO_RUN) {
      parts.push([start, zerosFrom * 4]);
      start = end * 4;
    }
    zerosFrom = -1;
  };
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 0) zerosFrom = zerosFrom < 0 ? i : zerosFrom;
    else endPart(i);
  }
  endPart(words.length);
  if (start < memory.length) parts.push([start, memory.length]);
  const table = [PACKED, memory.length, parts.length, ...parts.flatMap(([from, to]) => [from, to - from])];
  const packed = new Uint8Array(table.length * 4 + parts.reduce((sum, [from, to]) => sum + to - from, 0));
  new Uint32Array(packed.buffer, 0, table.length).set(table);
  let at = table.length * 4;
  for (const [from, to] of parts) {
    packed.set(aligned.subarray(from, to), at);
    at += to - from;
  }
  return packed;
}

// Throws on anything packSnapshot did not write (a damaged entry, an older format).
function unpackSnapshot(buffer) {
  const [magic, length, count] = buffer.byteLength >= 12 ? new Uint32Array(buffer, 0, 3) : [];
  if (magic !== PACKED) throw new Error("not a snapshot this handbook saved");
  const table = new Uint32Array(buffer, 12, count * 2);
  const memory = new Uint8Array(length);
  let at = 12 + count * 8;
  for (let i = 0; i < count; i++) {
    memory.set(new Uint8Array(buffer, at, table[2 * i + 1]), table[2 * i]);
    at += table[2 * i + 1];
  }
  if (at !== buffer.byteLength) throw new Error("the saved snapshot is damaged");
  return memory;
}

// The engine's response (JSON text) to a request (JSON text).
async function respond(request) {
  try {
    return answerJson(request);
  } catch (error) {
    // A restored engine without its wheel: a module or data file the snapshot did
    // not hold (one saved by an older handbook) is there once the wheel is.
    if (!installWheel) throw error;
    await installWheel();
    return answerJson(request);
  }
}

async function answer({ id, request }) {
  await started;
  const began = performance.now();
  try {
    const response = await respond(request);
    post({ type: "answer", id, response, ms: performance.now() - began });
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
  if (data.type === "start") started = start(data.config);
  else if (data.type === "answer") answer(data);
});

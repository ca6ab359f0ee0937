// Material's search worker, held back on a decision tool's page while the tool's engine
// starts. overrides/main.html points such a page's search at this file, with Material's
// worker's file name as the URL's fragment (a query would make it a URL the service
// worker does not hold offline). On a revisit the engine restores its saved memory
// snapshot at once, and on a 2-core machine Material's worker building the search
// index (about 200 ms of CPU) delays the engine's first live answer by about as much
// (bench/calculator.py has the figures). Search itself is unchanged: Material's worker
// runs in this one and gets every message the page sent it, in order.
//
// Material's worker starts as soon as one of these happens:
// - the page posts "start" on the SEARCH_CHANNEL: calculator.mjs does once the engine
//   is ready or has failed, and when the reader opens search (Material sends no query
//   before its worker has said it is ready);
// - no engine snapshot is saved on this device (the engine then waits for the page
//   to be idle, and so need search not);
// - GIVE_UP_MS have passed (a tool page whose script never ran).

const MATERIAL = decodeURIComponent(self.location.hash.slice(1));
const SEARCH_CHANNEL = "handbook-search"; // calculator.mjs posts "start" on it
const SNAPSHOTS = "handbook-engine-snapshot"; // engine-worker.mjs saves the engine here
const GIVE_UP_MS = 5000;

let held = [];
const channel = new BroadcastChannel(SEARCH_CHANNEL);
const giveUp = setTimeout(startSearch, GIVE_UP_MS);

function hold(event) {
  held.push(event.data);
}

function startSearch() {
  if (held === null) return;
  clearTimeout(giveUp);
  channel.close();
  self.removeEventListener("message", hold);
  // Only a file beside this one: the name comes from the page's URL for this worker.
  if (!/^[\w.-]+\.js$/.test(MATERIAL)) {
    const problem = `the URL's fragment must name Material's search worker, not "${MATERIAL}"`;
    throw new Error(`search-deferred.js: ${problem}`);
  }
  importScripts(MATERIAL);
  const messages = held;
  held = null;
  for (const data of messages) self.dispatchEvent(new MessageEvent("message", { data }));
}

self.addEventListener("message", hold);
channel.addEventListener("message", ({ data }) => {
  if (data === "start") startSearch();
});
(async () => {
  let saved = false;
  try {
    saved = await caches.has(SNAPSHOTS);
  } catch {
    // No Cache Storage (a private window): no snapshot either.
  }
  if (!saved) startSearch();
})();

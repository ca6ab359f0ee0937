// The handbook's service worker: every page, its search and its tools offline.
//
// The build writes this file to the site root as sw.js, after one line that defines
// BUILD = {version, csp, pages: [[path, size, digest]...], runtime: [...]}
// (offline/precache.py lists the built site's files; offline/worker.py writes it).
//
// - install: every file of `pages` into the cache of this version (reusing the
//   previous version's copy of a file whose digest did not change). The worker takes
//   over only once all of them are in, so a reader never gets a page of one version
//   with assets of another.
// - the runtime (Pyodide, its library, the lock file and the engine wheel) goes into
//   one cache shared by versions (its file names are versioned): as the engine fetches
//   it on a tool page, or in the background when a page asks ("cache-runtime").
// - every response built here carries the site's Content-Security-Policy, so a host
//   that cannot send headers (GitHub Pages) still gets the policy enforced.
// - a new version waits until the reader accepts it ("skip-waiting" from the page's
//   "Reload" button); activating it deletes the old version's cache.
// - the engine's worker keeps a memory snapshot of Python on the device (its own
//   cache); it counts in the size reported, and goes when the runtime it fits goes.

const SCOPE = new URL("./", self.location).href;
const PAGES_PREFIX = "handbook-pages-";
const PAGES = PAGES_PREFIX + BUILD.version;
const RUNTIME = "handbook-runtime";
// The engine's memory snapshot, written by its worker (engine-worker.mjs) after a first
// start and named after the runtime's lock file: dropped here once that file goes.
const SNAPSHOTS = "handbook-engine-snapshot";
const DIGEST_HEADER = "X-Handbook-Digest";
const PARALLEL_DOWNLOADS = 6;

const PAGE_FILES = filesByUrl(BUILD.pages);
const RUNTIME_FILES = filesByUrl(BUILD.runtime);
const inFlight = new Map();
let runtimeJob = null;
let runtimeError = "";

function filesByUrl(list) {
  return new Map(list.map(([path, size, digest]) => [new URL(path, SCOPE).href, { path, size, digest }]));
}

self.addEventListener("install", (event) => {
  event.waitUntil(fill(PAGES, PAGE_FILES, "no-cache"));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(activate());
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") self.skipWaiting();
  else if (type === "status") event.waitUntil(status().then((report) => event.source.postMessage(report)));
  else if (type === "cache-runtime") event.waitUntil(cacheRuntime());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  // Range requests (audio and video seeking) go to the network as they are.
  if (request.method !== "GET" || request.headers.has("Range")) return;
  const url = new URL(request.url);
  url.hash = "";
  if (RUNTIME_FILES.has(url.href)) {
    event.respondWith(fromRuntime(event, url.href));
    return;
  }
  const key = PAGE_FILES.has(url.href) ? url.href : pageKey(url);
  if (PAGE_FILES.has(key)) event.respondWith(fromPages(key, request));
  else if (request.mode === "navigate" && url.href.startsWith(SCOPE)) event.respondWith(elsewhere(request));
});

// A page asked for with a query (the tools keep their inputs in it) or as index.html.
function pageKey(url) {
  const page = new URL(url);
  page.search = "";
  if (page.pathname.endsWith("/index.html")) page.pathname = page.pathname.slice(0, -"index.html".length);
  const file = PAGE_FILES.get(page.href);
  return file && (page.href.endsWith("/") || page.href.endsWith(".html")) ? page.href : "";
}

async function fromPages(key, request) {
  const cache = await caches.open(PAGES);
  return (await cache.match(key)) || fetch(request);
}

async function fromRuntime(event, url) {
  const cache = await caches.open(RUNTIME);
  const hit = await cache.match(url);
  if (hit) return hit;
  const { copy, stored } = await obtain(cache, url, RUNTIME_FILES.get(url), "default");
  event.waitUntil(stored.then(broadcast));
  return copy.clone();
}

// A page of the site that this version does not list: the network, else the 404 page.
async function elsewhere(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(PAGES);
    const missing = await cache.match(new URL("404.html", SCOPE).href);
    if (!missing) throw error;
    return new Response(missing.body, { status: 404, headers: missing.headers });
  }
}

async function activate() {
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES_PREFIX) && name !== PAGES) await caches.delete(name);
  }
  const runtime = await caches.open(RUNTIME);
  for (const request of await runtime.keys()) {
    if (!RUNTIME_FILES.has(request.url)) await runtime.delete(request);
  }
  if (await caches.has(SNAPSHOTS)) {
    const snapshots = await caches.open(SNAPSHOTS);
    for (const request of await snapshots.keys()) {
      if (!RUNTIME_FILES.has(withoutQuery(request.url))) await snapshots.delete(request);
    }
  }
  // The first visit's page (and its tool's engine) is served from the cache from now on.
  await self.clients.claim();
}

function cacheRuntime() {
  runtimeJob ??= fill(RUNTIME, RUNTIME_FILES, "default", broadcast)
    .then(
      () => (runtimeError = ""),
      (error) => (runtimeError = String(error.message || error)),
    )
    .finally(() => (runtimeJob = null))
    .then(broadcast);
  return runtimeJob;
}

// Puts every missing file of `files` into the cache `name`, a few downloads at a time.
async function fill(name, files, cacheMode, progress = async () => {}) {
  const cache = await caches.open(name);
  const present = new Set((await cache.keys()).map((request) => request.url));
  const missing = [...files].filter(([url]) => !present.has(url));
  const lane = async () => {
    for (let next = missing.shift(); next; next = missing.shift()) {
      await (await obtain(cache, next[0], next[1], cacheMode)).stored;
      await progress();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, lane));
}

// Stores one file, downloading it once however many ask at the same time (the
// engine on a tool page and the background job want the same runtime files).
// Resolves to {copy, stored}: the checked response (clone it before reading), at
// once, and the promise of its write to the cache, which the engine need not wait for.
function obtain(cache, url, file, cacheMode) {
  if (!inFlight.has(url)) {
    const job = (async () => {
      const copy = (await previousCopy(url, file.digest)) || (await download(url, file, cacheMode));
      return { copy, stored: cache.put(url, copy.clone()) };
    })();
    inFlight.set(url, job);
    job
      .then(({ stored }) => stored)
      .then(
        () => inFlight.delete(url),
        () => inFlight.delete(url),
      );
  }
  return inFlight.get(url);
}

// The same bytes from an older cache (the previous version's pages, the runtime).
async function previousCopy(url, digest) {
  const hit = await caches.match(url);
  return hit && hit.headers.get(DIGEST_HEADER) === digest ? hit : null;
}

async function download(url, file, cacheMode) {
  // The HTTP cache or a CDN may still hold the previous deploy's copy: if the bytes are
  // not the ones this version lists, ask the server itself once more.
  for (const mode of [cacheMode, "reload"]) {
    const response = await fetch(url, { cache: mode });
    if (!response.ok) throw new Error(`${file.path}: HTTP ${response.status}`);
    const body = await response.arrayBuffer();
    if ((await digestOf(body, file.digest.length)) === file.digest) {
      return stored(body, response.headers.get("Content-Type"), file.digest);
    }
  }
  throw new Error(`${file.path}: the server sent other bytes than version ${BUILD.version} lists`);
}

function stored(body, type, digest) {
  const headers = {
    "Content-Type": type || "application/octet-stream",
    "Content-Security-Policy": BUILD.csp,
    [DIGEST_HEADER]: digest,
  };
  return new Response(body, { status: 200, headers });
}

async function digestOf(body, chars) {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return Array.from(hash, (byte) => byte.toString(16).padStart(2, "0")).join("").slice(0, chars);
}

function withoutQuery(href) {
  const url = new URL(href);
  url.search = "";
  return url.href;
}

// Bytes of the engine's snapshot on this device (0 before a tool page's first start).
async function snapshotBytes() {
  if (!(await caches.has(SNAPSHOTS))) return 0;
  const snapshots = await caches.open(SNAPSHOTS);
  let bytes = 0;
  for (const request of await snapshots.keys()) {
    if (!RUNTIME_FILES.has(withoutQuery(request.url))) continue;
    bytes += Number((await snapshots.match(request)).headers.get("Content-Length")) || 0;
  }
  return bytes;
}

async function status() {
  const runtime = await caches.open(RUNTIME);
  const present = new Set((await runtime.keys()).map((request) => request.url));
  const sizes = (files, only = () => true) =>
    [...files].filter(([url]) => only(url)).reduce((sum, [, file]) => sum + file.size, 0);
  const cached = sizes(RUNTIME_FILES, (url) => present.has(url));
  const total = sizes(RUNTIME_FILES);
  return {
    type: "status",
    version: BUILD.version,
    pages: { bytes: sizes(PAGE_FILES) },
    runtime: { bytes: total, cached, ready: cached === total, busy: Boolean(runtimeJob), error: runtimeError },
    snapshot: { bytes: await snapshotBytes() },
  };
}

async function broadcast() {
  const report = await status();
  for (const client of await self.clients.matchAll({ includeUncontrolled: true })) client.postMessage(report);
}

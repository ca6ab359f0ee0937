"""The handbook offline and installable: the service worker, its precache lists, the
web app manifest, and the Content-Security-Policy the worker adds to what it serves.

``precache`` lists a built site's files with their sizes and hashes (pure, reads a
directory); ``app_manifest`` writes the web app manifest and its icon; ``hooks`` wires
both into MkDocs; ``service-worker.js`` is the worker the build writes to ``sw.js``.
"""

from __future__ import annotations

# The policy the site is meant to be served with (README.md, "Content-Security-Policy").
# One home: the build puts it in a <meta http-equiv> on every page and in the service
# worker, which adds it to every response it serves; the test server sends it too.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
    "worker-src 'self'; connect-src 'self'"
)

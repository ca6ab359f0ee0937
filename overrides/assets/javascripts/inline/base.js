// Material for MkDocs' start-up helpers, as its base template defines them inline;
// they live here so the site's Content-Security-Policy can forbid inline scripts.
(() => {
  const scope = document.currentScript.dataset.mdScope;
  window.__md_scope = new URL(scope, location);
  window.__md_hash = (text) =>
    [...text].reduce((hash, char) => (hash << 5) - hash + char.charCodeAt(0), 0);
  window.__md_get = (key, storage = localStorage, base = window.__md_scope) =>
    JSON.parse(storage.getItem(`${base.pathname}.${key}`));
  window.__md_set = (key, value, storage = localStorage, base = window.__md_scope) => {
    try {
      storage.setItem(`${base.pathname}.${key}`, JSON.stringify(value));
    } catch {
      // Storage full or disabled: Material works without remembering.
    }
  };
})();

// Opens the content tab a link's #fragment points at (Material's inline script,
// moved to a file for the site's Content-Security-Policy).
(() => {
  const target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();

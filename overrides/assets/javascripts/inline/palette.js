// Restores the reader's colour palette before the page paints (Material's inline
// palette script, moved to a file for the site's Content-Security-Policy).
(() => {
  const palette = window.__md_get("__palette");
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    const light = matchMedia("(prefers-color-scheme: light)").matches;
    const input = document.querySelector(
      light
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']",
    );
    for (const key of ["media", "scheme", "primary", "accent"]) {
      palette.color[key] = input.getAttribute(`data-md-color-${key}`);
    }
  }
  for (const [key, value] of Object.entries(palette.color)) {
    document.body.setAttribute(`data-md-color-${key}`, value);
  }
})();

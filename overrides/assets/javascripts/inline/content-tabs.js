// Reopens the content tabs the reader chose last (Material's inline script, moved to
// a file for the site's Content-Security-Policy).
(() => {
  const tabs = window.__md_get("__tabs");
  if (!Array.isArray(tabs)) return;
  for (const set of document.querySelectorAll(".tabbed-set")) {
    const labels = [...set.querySelector(".tabbed-labels").getElementsByTagName("label")];
    const chosen = tabs
      .map((tab) => labels.find((label) => label.innerText.trim() === tab))
      .find(Boolean);
    if (chosen) document.getElementById(chosen.htmlFor).checked = true;
  }
})();

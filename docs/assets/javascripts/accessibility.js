// Keyboard access to boxes that scroll sideways: a wide table on a phone (Material's
// .md-typeset__scrollwrap), the tools' tables (*-table-wrap), a drawing shown at its full
// size on its own page (.vault-drawing), or code in a search result
// (Material makes the code blocks of a page focusable itself, not those). A box that overflows gets a
// place in the tab order, so the keyboard can scroll it (WCAG 2.1.1, axe-core's
// scrollable-region-focusable); one that fits loses it again, so wide screens keep
// no useless tab stops. Checked after each page, resize, opened <details> and change
// of the content (the calculator re-renders its answer).

const SCROLL_BOXES =
  ".md-typeset__scrollwrap, [class$=-table-wrap], .md-typeset .vault-drawing, .md-search-result pre > code";
let scheduled = false;

function markScrollBoxes() {
  scheduled = false;
  for (const box of document.querySelectorAll(SCROLL_BOXES)) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      const kind = box.matches("code") ? "Code" : box.matches(".vault-drawing") ? "Drawing" : "Table";
      box.setAttribute("aria-label", `${kind}, scrolls sideways`);
    } else if (!scrolls && box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(markScrollBoxes);
}

new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
addEventListener("resize", schedule);
document.addEventListener("toggle", schedule, true);
schedule();

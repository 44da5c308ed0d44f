/* The book's own script (no library, no request to any host).
 *
 * 1. Navigation at every width. The pinned theme pair (sphinx-book-theme 1.3.0 with
 *    pydata-sphinx-theme 0.17.1) renders two buttons with class .primary-toggle (and two
 *    .secondary-toggle): a hidden one in the top navbar and the visible one in the article
 *    header. Both themes bind their click handlers with document.querySelector, i.e. to the
 *    hidden first button only, so the visible menu and "Contents" buttons do nothing
 *    (pydata-sphinx-theme issue 2451, sphinx-book-theme issue 935 / PR 991). The fix is the
 *    one proposed upstream, done from outside: every other toggle forwards its click to the
 *    first one, so the themes' own handlers run (collapse on wide screens, the drawer
 *    dialog on narrow ones).
 * 2. Long tables: sort, filter and pages; a hint when a table scrolls sideways; a CSV of the
 *    table as shown in full.
 */
(function () {
  "use strict";

  function forwardToggles(selector) {
    var toggles = document.querySelectorAll(selector);
    if (toggles.length < 2) return;
    var wired = toggles[0];
    Array.prototype.slice.call(toggles, 1).forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        wired.click();
      });
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    forwardToggles(".primary-toggle");
    forwardToggles(".secondary-toggle");
  });
})();

// Pagefind UI over the bundle written by `briefing build`, loaded through static/search/pagefind.js (names first; bundle path honours the base path).
(function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    translations: { placeholder: box.getAttribute("data-placeholder") },
    // a page with machine-translated or untranslated text carries its label as the `label`
    // meta (set by the builder, already in the page's language); the excerpt shows it first
    processResult: function (result) {
      var label = result.meta && result.meta.label;
      if (label) {
        var tag = '<span class="tag tag-mt search-label">' + escapeHtml(label) + "</span> ";
        result.excerpt = tag + result.excerpt;
        (result.sub_results || []).forEach(function (sub) { sub.excerpt = tag + sub.excerpt; });
      }
      return result;
    }
  });
  // Pagefind labels its input only with a title; give it a real accessible name
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-label", box.getAttribute("data-placeholder"));
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
})();

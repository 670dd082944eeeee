// Pagefind UI over the bundle written by `briefing build` (bundle path honours the base path).
(function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    translations: { placeholder: box.getAttribute("data-placeholder") }
  });
  // Pagefind labels its input only with a title; give it a real accessible name
  var input = box.querySelector("input");
  if (input) input.setAttribute("aria-label", box.getAttribute("data-placeholder"));
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
})();

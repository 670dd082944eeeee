// Progressive enhancement only: the site works without it.
// The language switcher keeps the reader's place: /en/…/#s2 -> /zh/…/#s2.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.lang-switch");
  if (link && location.hash && link.href.indexOf("#") < 0) {
    link.href = link.href + location.hash;
  }
});

// The module the Pagefind UI loads as its bundle (search.html points the UI's bundlePath at this
// folder, and the UI imports `<bundlePath>pagefind.js`). It is Pagefind's own API with one change:
// when the query is exactly a name of an enterprise (any of its Chinese, English, short or alias
// names, compared as `nameKey` forms), that enterprise's page is put first. Pagefind ranks by word
// counts, so a page that names a company many times (a related company's page, say) can outrank
// the company's own page for its short name; a reader who typed the name wants the company.
// Enterprise pages carry each name key as a `name` filter (templates/enterprise.html, keys made by
// builder/render/searchtext.py name_key); the filter is kept out of the UI's filter panel.
// Only the order of what Pagefind found changes: nothing is added, nothing dropped.
import * as pagefind from "../../pagefind/pagefind.js";

const NAME = "name";

// the same steps as name_key in builder/render/searchtext.py
export function nameKey(text) {
  return String(text || "").normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

function hideNames(filters) {
  if (filters && typeof filters === "object") delete filters[NAME];
  return filters;
}

async function namedFirst(term, found) {
  if (!found) return found; // a debounced search that a newer one replaced
  hideNames(found.filters);
  hideNames(found.totalFilters);
  const key = nameKey(term);
  if (!key || !found.results || found.results.length < 2) return found;
  const named = await pagefind.search(null, { filters: { [NAME]: key } });
  const ids = new Set(((named && named.results) || []).map(function (r) { return r.id; }));
  if (!ids.size) return found;
  const first = found.results.filter(function (r) { return ids.has(r.id); });
  const rest = found.results.filter(function (r) { return !ids.has(r.id); });
  found.results = first.concat(rest);
  return found;
}

export const options = (opts) => pagefind.options(opts);
export const init = () => pagefind.init();
export const destroy = () => pagefind.destroy();
export const mergeIndex = (path, opts) => pagefind.mergeIndex(path, opts);
export const preload = (term, opts) => pagefind.preload(term, opts);
export async function filters() { return hideNames(await pagefind.filters()); }
export async function search(term, opts) { return namedFirst(term, await pagefind.search(term, opts)); }
export async function debouncedSearch(term, opts, ms) {
  return namedFirst(term, await pagefind.debouncedSearch(term, opts, ms));
}

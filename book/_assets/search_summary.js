// Sphinx's search page fetches each result's page to show a snippet of it. A browser refuses
// such a fetch from a page opened from disk (file://), so there the results are listed with
// their titles only; served (a static server, GitHub Pages), they keep their snippets.
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

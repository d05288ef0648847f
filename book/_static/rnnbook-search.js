// Sphinx's search shows an excerpt of each page it finds by fetching that page, which browsers
// refuse for a book opened from disk (file://). The search page of this book also loads the
// pages' text (rnnbook-search-pages.js, written at build time): serve the excerpts from there.
(() => {
  if (window.location.protocol !== "file:" || !window.RNNBOOK_PAGES) return;
  const fetchFromNetwork = window.fetch.bind(window);
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  window.fetch = (resource, options) => {
    const url = new URL(String(resource), window.location.href);
    const page = decodeURIComponent(url.pathname.slice(root.pathname.length)).replace(/\.html$/, "");
    if (url.protocol === "file:" && url.pathname.startsWith(root.pathname) &&
        Object.hasOwn(window.RNNBOOK_PAGES, page)) {
      const text = `<div role="main">${window.RNNBOOK_PAGES[page]}</div>`;
      return Promise.resolve(new Response(text, {headers: {"Content-Type": "text/html"}}));
    }
    return fetchFromNetwork(resource, options);
  };
})();

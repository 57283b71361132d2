// The search page: point Pagefind's Component UI at this site's pagefind/ folder
// (wherever the site is hosted, also under a sub-path), load it, and run ?q=.
(function () {
  "use strict";
  var app = document.querySelector("[data-search-root]");
  if (!app) {
    return;
  }
  var root = new URL(app.getAttribute("data-search-root"), window.location.href).pathname;
  var config = app.querySelector("pagefind-config");
  config.setAttribute("bundle-path", root + "pagefind/");
  config.setAttribute("base-url", root);
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();

  var script = document.createElement("script");
  script.src = root + "pagefind/pagefind-component-ui.js";
  script.onload = function () {
    app.hidden = false;
    if (query) {
      window.PagefindComponents.getInstanceManager().getInstance("default").triggerSearch(query);
    }
  };
  script.onerror = function () {
    document.querySelector(".search-error").hidden = false;
  };
  document.head.appendChild(script);
})();

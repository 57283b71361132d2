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
  // Each result: title link, then type · body · date, the excerpt, and links into the page (sub-results).
  // Pagefind's template syntax; added here so that no "{{" ever appears in the site's HTML files.
  var template = document.createElement("script");
  template.type = "text/pagefind-template";
  template.textContent = [
    '<li class="pf-result"><div class="pf-result-card"><div class="pf-result-content">',
    '<p class="pf-result-title"><a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">{{ meta.title }}</a></p>',
    '<p class="pf-result-meta">{{ meta.type }}{{#if meta.body}} · {{ meta.body }}{{/if}}{{#if meta.dato}} · {{ meta.dato }}{{/if}}</p>',
    '{{#if excerpt}}<p class="pf-result-excerpt">{{+ excerpt +}}</p>{{/if}}',
    '</div></div>',
    '{{#if sub_results}}<ul class="pf-heading-chips">{{#each sub_results as sub}}<li class="pf-heading-chip">',
    '<a class="pf-heading-link" href="{{ sub.url | safeUrl }}">{{ sub.title }}</a>',
    '<p class="pf-heading-excerpt">{{+ sub.excerpt +}}</p>',
    '</li>{{/each}}</ul>{{/if}}</li>'
  ].join("");
  app.querySelector("pagefind-results").appendChild(template);
  if (window.matchMedia("(min-width: 50.01rem)").matches) {
    app.querySelector(".search-filters").open = true;
  }
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();

  // Pagefind loads each result's data when it scrolls within 50px of the viewport, so results grow
  // while in view and push a focused link (e.g. in the footer) off screen. Load them well ahead
  // instead (only Pagefind's observers use exactly these options), so growth happens out of view.
  var NativeObserver = window.IntersectionObserver;
  if (NativeObserver) {
    window.IntersectionObserver = function (callback, options) {
      if (options && options.rootMargin === "50px" && options.threshold === 0.01) {
        options = Object.assign({}, options, {rootMargin: "2000px"});
      }
      return new NativeObserver(callback, options);
    };
    window.IntersectionObserver.prototype = NativeObserver.prototype;
  }

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

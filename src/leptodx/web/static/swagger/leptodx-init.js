/* Swagger UI for LeptoDx (served from /static: no inline script, works under the CSP).
 * Authorize: paste an API token (bearerAuth). Logged in with a browser session instead, Swagger's
 * own same-origin write requests carry the session's CSRF token from the page's meta tag
 * (docs/decisions/web-swagger-authorize-and-csrf.md). */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="leptodx-csrf"]');
  var token = meta ? meta.getAttribute("content") : "";
  var unsafe = { POST: true, PUT: true, PATCH: true, DELETE: true };
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: false,  // deep links nest a link inside each operation button (axe nested-interactive)
    showExtensions: true,
    persistAuthorization: false,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    requestInterceptor: function (req) {
      var target = new URL(req.url, window.location.href);
      var method = (req.method || "GET").toUpperCase();
      if (token && unsafe[method] && target.origin === window.location.origin) {
        req.headers["X-CSRF-Token"] = token;
      }
      return req;
    }
  });
})();

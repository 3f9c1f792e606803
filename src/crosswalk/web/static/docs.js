/* Starts Swagger UI when its files could be loaded; otherwise the list stays. */
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") { return; }
  window.SwaggerUIBundle({ url: target.getAttribute("data-openapi"), dom_id: "#swagger-ui" });
  var list = document.getElementById("endpoint-list");
  if (list) { list.hidden = true; }
})();

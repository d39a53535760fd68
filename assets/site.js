// guide: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Opened from disk, a link to "roles/x/" shows a folder listing rather
  // than the page: point links at the index.html inside instead.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var h = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(h) || h.charAt(0) === "#") return;
      var i = h.search(/[?#]/), path = i < 0 ? h : h.slice(0, i), rest = i < 0 ? "" : h.slice(i);
      if (path === "" || path.slice(-1) === "/") a.setAttribute("href", path + "index.html" + rest);
    });
  }
  // Print with every FAQ answer open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.dataset.printOpened = "1";
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      delete d.dataset.printOpened;
    });
  });
})();

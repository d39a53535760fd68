// guide serve: live reload. Injected into pages by the dev server only,
// never into the output of guide build.
(function () {
  "use strict";
  var here = location.pathname.replace(/^\//, "");
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var scrollKey = "guide-scroll:" + here;
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var y = +saved;
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
    else restore();
  }
  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  var overlay = null;
  // A page that could not be shown lists the errors itself: keep that list
  // current, and show the page once there are none.
  var errorPage = document.documentElement.hasAttribute("data-guide-errors");
  function listErrors(list) {
    if (!list.length) {
      reload();
      return;
    }
    var ul = document.getElementById("guide-error-list");
    if (!ul) return;
    ul.textContent = "";
    list.forEach(function (d) {
      var li = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = d;
      li.appendChild(code);
      ul.appendChild(li);
    });
  }

  function showErrors(list) {
    if (errorPage) {
      listErrors(list);
      return;
    }
    if (!list.length) {
      if (overlay) { overlay.remove(); overlay = null; }
      return;
    }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "guide-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0d0d;color:#ffe9e9;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "padding:14px 18px;border-top:4px solid #ff5a5a;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    }
    overlay.textContent = "";
    var h = document.createElement("strong");
    h.textContent = list.length === 1 ? "The guide has an error: fix it and save, and this page follows." :
      "The guide has " + list.length + " errors: fix them and save, and this page follows.";
    overlay.appendChild(h);
    var ul = document.createElement("ul");
    ul.style.cssText = "margin:8px 0 0;padding-left:18px";
    list.forEach(function (d) {
      var li = document.createElement("li");
      li.textContent = d;
      ul.appendChild(li);
    });
    overlay.appendChild(ul);
    if (!overlay.isConnected) document.body.appendChild(overlay);
  }

  function swapCSS(from, to) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var href = link.getAttribute("href");
      var i = href.lastIndexOf(from);
      if (i >= 0 && i + from.length === href.length) {
        var fresh = link.cloneNode();
        fresh.setAttribute("href", href.slice(0, i) + to);
        fresh.addEventListener("load", function () { link.remove(); });
        link.after(fresh);
      }
    });
  }

  var es = new EventSource("/__guide/events?page=" + encodeURIComponent(here));
  es.addEventListener("errors", function (e) { showErrors(JSON.parse(e.data)); });
  es.addEventListener("reload", function (e) {
    var paths = JSON.parse(e.data);
    if (paths.indexOf(here) >= 0) reload();
  });
  es.addEventListener("css", function (e) {
    var d = JSON.parse(e.data);
    swapCSS(d.from, d.to);
  });
  // A page kept for the back button would hold its stream open: a browser
  // allows six connections to a host, and after six pages the next one
  // would wait for ever. Let it go; a page brought back may have changed
  // meanwhile, so load it afresh.
  window.addEventListener("pagehide", function () { es.close(); });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) location.reload();
  });
})();

// guide: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  var file = location.protocol === "file:";
  // Opened from disk, a link to "roles/x/" shows a folder listing rather
  // than the page: point links and forms at the index.html inside.
  function fix(el, attr) {
    var h = el.getAttribute(attr);
    if (h === null || /^[a-z][a-z0-9+.-]*:/i.test(h) || h.charAt(0) === "#") return;
    var i = h.search(/[?#]/), path = i < 0 ? h : h.slice(0, i), rest = i < 0 ? "" : h.slice(i);
    if (path === "" || path.slice(-1) === "/") el.setAttribute(attr, path + "index.html" + rest);
  }
  if (file) {
    document.querySelectorAll("a[href]").forEach(function (a) { fix(a, "href"); });
    document.querySelectorAll("form[action]").forEach(function (f) { fix(f, "action"); });
  }
  // Search: load search.js the first time it is wanted; "/" focuses the box.
  var form = document.querySelector("form.search"), loaded = false;
  function load() {
    if (loaded || !form) return;
    loaded = true;
    // The index's table of contents is fetched alongside search.js rather
    // than after it; if it comes first, its call waits here until
    // search.js takes over.
    var early = { calls: [], meta: document.createElement("script"), ended: false };
    window.__guideSearch = function (name, data) { early.calls.push([name, data]); };
    window.__guideSearch.early = early;
    early.meta.src = form.getAttribute("data-root") + "search/meta.js";
    early.meta.onload = early.meta.onerror = function () { early.ended = true; };
    document.head.appendChild(early.meta);
    var s = document.createElement("script");
    s.src = form.getAttribute("data-src");
    s.setAttribute("data-root", form.getAttribute("data-root"));
    document.head.appendChild(s);
  }
  if (form) {
    var input = form.querySelector("input");
    input.addEventListener("focus", load);
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      // On the results page, its own field.
      (document.querySelector("[data-search-page] input[type=search]") || input).focus();
    });
    if (document.querySelector("[data-search-page]")) load();
  }
  // The header's plan link shows how many questions the interview plan
  // holds: as stored (see plan.js, whose key is the plan page's address),
  // and as plan.js announces when it changes the plan on this page.
  var count = document.querySelector("a.plan-nav .plan-count");
  function showCount(n) {
    count.textContent = "";
    count.hidden = !(n > 0);
    if (!(n > 0)) return;
    var v = document.createElement("span"), h = document.createElement("span");
    v.setAttribute("aria-hidden", "true");
    v.textContent = n;
    h.className = "visually-hidden";
    h.textContent = "(" + n + (n === 1 ? " question)" : " questions)");
    count.appendChild(v);
    count.appendChild(h);
  }
  function stored() {
    try {
      var key = "guide-plan " + new URL(count.parentNode.getAttribute("href"), location.href).href.replace(/[?#].*$/, "").replace(/index\.html$/, "");
      var p = JSON.parse(localStorage.getItem(key));
      // plan.js, where a page loads it, counts only well-formed questions.
      return p && Array.isArray(p.items) ? Math.min(p.items.length, 200) : 0;
    } catch (e) {
      return 0;
    }
  }
  if (count) {
    showCount(stored());
    window.addEventListener("storage", function () { showCount(stored()); });
    document.addEventListener("guide-plan", function (e) { showCount(e.detail); });
  }
  // An FAQ entry linked to (from search, or shared) opens at its anchor.
  function openTarget() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (e) {
      return;
    }
    var d = id && document.getElementById(id);
    if (d && d.tagName === "DETAILS") d.open = true;
  }
  openTarget();
  window.addEventListener("hashchange", openTarget);
  // Print with every FAQ answer open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-print-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-print-opened");
    });
  });
})();

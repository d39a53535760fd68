// guide interview plan: the "Add to plan" buttons of role pages, and the
// plan page (layouts/plan.html), where the picked questions are put in
// order, printed and shared.
//
// The plan is kept in the browser (localStorage) under the address of the
// guide's plan page, so that two guides on one host keep two plans. Each
// question is stored by its role's slug and its anchor, with its text as
// the role page showed it: the plan page can then show it even where it
// cannot read other pages (a guide opened from disk). Over http(s) the plan
// page reads each role's page again and shows the questions as the guide
// has them now. A shared link names the questions only:
// plan/#plan=backend-developer:q-a,q-b;data-engineer:q-c&title=Round%202
(function () {
  "use strict";

  var MAX = 200; // questions in a plan
  var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  var ANCHOR = /^[^\s:;,&=#/\\?%<>"'`]{1,200}$/;

  // ---- Where the plan lives.
  var page = document.querySelector("[data-plan-page]");
  var article = document.querySelector("article[data-role]");
  // The plan page's address, without index.html: the key of the plan, and
  // the base of shared links. Role pages are at roles/<slug>/.
  var planURL = new URL(page ? "./" : "../../plan/", location.href);
  planURL.hash = "";
  planURL.search = "";
  var planHref = planURL.href.replace(/index\.html$/, "");
  var rootHref = new URL("../", planHref).href;
  var KEY = "guide-plan " + planHref;
  var memory = null; // the plan, where the browser does not let us store it
  var storeFailed = false;

  function clip(s, n) {
    return typeof s === "string" ? s.slice(0, n) : "";
  }

  // clean keeps the well-formed items of a stored or shared plan.
  function clean(p) {
    var out = { title: "", items: [] }, seen = {};
    if (!p || typeof p !== "object") return out;
    out.title = clip(p.title, 120);
    (Array.isArray(p.items) ? p.items : []).forEach(function (it) {
      if (!it || !SLUG.test(it.r) || typeof it.q !== "string" || !ANCHOR.test(it.q)) return;
      var id = it.r + "#" + it.q;
      if (seen[id] || out.items.length >= MAX) return;
      seen[id] = true;
      out.items.push({
        r: it.r, q: it.q, t: clip(it.t, 200), c: clip(it.c, 200), n: clip(it.n, 10),
        x: clip(it.x, 4000), l: clip(it.l, 20000), f: clip(it.f, 20000), u: clip(it.u, 20000)
      });
    });
    return out;
  }

  function load() {
    if (memory) return clean(memory);
    try {
      var s = localStorage.getItem(KEY);
      return clean(s ? JSON.parse(s) : null);
    } catch (e) {
      return clean(null);
    }
  }

  // save stores the plan and reports whether the browser kept it.
  function save(p) {
    try {
      localStorage.setItem(KEY, JSON.stringify(p));
      memory = null;
      return true;
    } catch (e) {
      memory = p;
      storeFailed = true;
      return false;
    }
  }

  function indexOf(p, r, q) {
    for (var i = 0; i < p.items.length; i++) {
      if (p.items[i].r === r && p.items[i].q === q) return i;
    }
    return -1;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // updateCount tells site.js, which shows it in the header's plan link,
  // how many questions the plan holds.
  function updateCount(n) {
    document.dispatchEvent(new CustomEvent("guide-plan", { detail: n }));
  }

  // blockText is an element's text with a line break between blocks.
  function blockText(el) {
    var out = [], top = [];
    (function walk(n, line) {
      for (var c = n.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          line.push(c.nodeValue);
        } else if (c.nodeType === 1 && !/^H[1-6]$/.test(c.tagName)) {
          if (/^(P|LI|UL|OL|PRE|DIV|BLOCKQUOTE|TABLE|TR|DL|DT|DD)$/.test(c.tagName)) {
            flush(line);
            var inner = [];
            walk(c, inner);
            flush(inner);
          } else {
            walk(c, line);
          }
        }
      }
    })(el, top);
    flush(top);
    function flush(line) {
      var s = line.join("").replace(/\s+/g, " ").trim();
      if (s) out.push(s);
      line.length = 0;
    }
    return out.join("\n");
  }

  // capture reads a question as its role page shows it.
  function capture(li, slug, title) {
    var sec = li.closest("[data-title]:not(article)");
    var num = li.querySelector(".q-num");
    var text = li.querySelector(".q-text");
    var look = li.querySelector(".look-for"), flags = li.querySelector(".red-flags"), ups = li.querySelector(".follow-ups");
    return {
      r: slug, q: li.id, t: title, c: sec ? sec.getAttribute("data-title") : "",
      n: num ? num.textContent.replace(/\D/g, "") : "",
      x: text ? blockText(text) : "", l: look ? blockText(look) : "", f: flags ? blockText(flags) : "",
      u: ups ? blockText(ups) : ""
    };
  }

  // ---- Role pages: a button beside each question.
  function rolePage() {
    var slug = article.getAttribute("data-role"), title = article.getAttribute("data-title") || "";
    if (!SLUG.test(slug)) return;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    article.appendChild(status);
    var buttons = [];
    article.querySelectorAll("li.question[id]").forEach(function (li) {
      if (!ANCHOR.test(li.id)) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "plan-add";
      var head = li.querySelector(".q-head") || li, link = head.querySelector(".q-link");
      head.insertBefore(b, link && link.parentNode === head ? link : null);
      b.addEventListener("click", function () {
        var p = load(), i = indexOf(p, slug, li.id), msg;
        if (i >= 0) {
          p.items.splice(i, 1);
          msg = "Removed from the plan";
        } else if (p.items.length >= MAX) {
          status.textContent = "A plan holds at most " + MAX + " questions.";
          return;
        } else {
          p.items.push(capture(li, slug, title));
          msg = "Added to the plan";
        }
        var kept = save(p);
        refresh(p);
        status.textContent = msg + ": " + plural(p.items.length, "question", "questions") + "." +
          (kept ? "" : " This browser does not let the guide store it: it lasts while this page is open.");
      });
      buttons.push({ li: li, b: b });
    });
    function refresh(p) {
      buttons.forEach(function (x) {
        var on = indexOf(p, slug, x.li.id) >= 0;
        x.b.textContent = on ? "Remove from plan" : "Add to plan";
        x.b.classList.toggle("in-plan", on);
      });
      updateCount(p.items.length);
    }
    refresh(load());
    window.addEventListener("storage", function (e) {
      if (e.key === KEY || e.key === null) refresh(load());
    });
  }

  // ---- The plan page.

  // parseShared reads a shared plan from the address's fragment, or returns
  // null when there is none.
  function parseShared(hash) {
    var parts = {}, found = false;
    hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) parts[kv.slice(0, i)] = kv.slice(i + 1);
    });
    if (typeof parts.plan !== "string") return null;
    var p = { title: "", items: [] };
    try {
      p.title = parts.title ? decodeURIComponent(parts.title) : "";
    } catch (e) { /* a broken title is left out */ }
    parts.plan.split(";").forEach(function (group) {
      var i = group.indexOf(":");
      if (i <= 0) return;
      var r = group.slice(0, i);
      group.slice(i + 1).split(",").forEach(function (q) {
        try {
          q = decodeURIComponent(q);
        } catch (e) {
          return;
        }
        found = true;
        p.items.push({ r: r, q: q });
      });
    });
    return found ? clean(p) : clean(null);
  }

  // shareLink is the address of a plan for others to open.
  function shareLink(p) {
    var groups = [];
    p.items.forEach(function (it) {
      var last = groups[groups.length - 1];
      if (last && last.r === it.r) last.q.push(encodeURIComponent(it.q));
      else groups.push({ r: it.r, q: [encodeURIComponent(it.q)] });
    });
    var h = "#plan=" + groups.map(function (g) { return g.r + ":" + g.q.join(","); }).join(";");
    if (p.title) h += "&title=" + encodeURIComponent(p.title);
    return planHref + h;
  }

  function roleHref(slug) {
    return rootHref + "roles/" + slug + "/";
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // safe makes nodes read from a role page fit to show here: no script,
  // no event attributes, links resolved against the role page.
  function safe(node, base) {
    if (node.nodeType !== 1) return node;
    var all = [node].concat(Array.prototype.slice.call(node.querySelectorAll("*")));
    all.forEach(function (e) {
      if (/^(SCRIPT|IFRAME|OBJECT|EMBED|STYLE|LINK|META|FORM|BASE)$/.test(e.tagName)) {
        e.remove();
        return;
      }
      Array.prototype.slice.call(e.attributes).forEach(function (a) {
        var n = a.name.toLowerCase();
        if (/^on/.test(n) || n === "id" || n === "style") {
          e.removeAttribute(a.name);
        } else if (n === "href" || n === "src") {
          var u;
          try {
            u = new URL(a.value, base);
          } catch (err) {
            e.removeAttribute(a.name);
            return;
          }
          if (!/^(https?|file|mailto):$/.test(u.protocol)) e.removeAttribute(a.name);
          else e.setAttribute(a.name, u.href);
        }
      });
    });
    return node;
  }

  function planPage() {
    var shared = parseShared(location.hash);
    var list = page.querySelector(".plan-list"), status = page.querySelector(".plan-status");
    var head = page.querySelector(".plan-head"), empty = page.querySelector(".plan-empty");
    var sharedBox = page.querySelector(".plan-shared"), titleInput = page.querySelector(".plan-title");
    var titlePrint = page.querySelector(".plan-title-print"), linkInput = page.querySelector(".plan-link-url");
    var copyButton = page.querySelector(".plan-copy"), clearButton = page.querySelector(".plan-clear");
    var saveButton = page.querySelector(".plan-save"), mergeButton = page.querySelector(".plan-merge");
    var shareBox = page.querySelector(".plan-share");
    var undo = el("button", "plan-undo", "Undo");
    undo.type = "button";
    undo.hidden = true;
    status.parentNode.insertBefore(undo, status.nextSibling);
    var before = null; // the plan before the last removal, for Undo
    var live = {}; // role slug → {doc} or {missing: true} or {failed: true}
    var online = /^https?:$/.test(location.protocol);

    function current() {
      return shared || load();
    }

    function say(msg, canUndo) {
      status.textContent = msg;
      undo.hidden = !canUndo;
    }

    // change applies fn to the stored plan, keeping what it was for Undo.
    function change(fn, msg, canUndo) {
      var p = load();
      if (canUndo) before = JSON.parse(JSON.stringify(p));
      fn(p);
      var kept = save(p);
      render();
      say(msg + (kept ? "" : " This browser does not let the guide store the plan: it lasts while this page is open."), canUndo);
    }

    undo.addEventListener("click", function () {
      if (!before) return;
      var p = before;
      before = null;
      save(p);
      render();
      say("Undone: " + plural(p.items.length, "question", "questions") + " in the plan.", false);
      list.focus();
    });

    // body shows a question: as its role page has it now when that page
    // was read, else as it was stored, else by its anchor.
    function body(li, it) {
      var role = live[it.r], q = null;
      if (role && role.doc) {
        q = role.doc.getElementById(it.q);
        if (q && !q.matches("li.question")) q = null;
      }
      var meta = el("p", "plan-meta");
      var a = el("a", "", role && role.title || it.t || it.r);
      a.href = roleHref(it.r) + (location.protocol === "file:" ? "index.html" : "") + "#" + encodeURIComponent(it.q);
      meta.appendChild(a);
      var cat = q ? q.closest("section[data-title]") : null;
      var catTitle = cat ? cat.getAttribute("data-title") : it.c;
      if (catTitle) meta.appendChild(document.createTextNode(" · " + catTitle));
      li.appendChild(meta);
      var h = el("h2", "plan-text");
      li.appendChild(h);
      function note(cls, label, from, text) {
        if (!from && !text) return;
        var d = el("div", "note " + cls);
        d.appendChild(el("h3", "", label));
        if (from) {
          Array.prototype.slice.call(from.childNodes).forEach(function (c) {
            if (c.nodeType === 1 && /^H[1-6]$/.test(c.tagName)) return;
            d.appendChild(safe(document.importNode(c, true), role.href));
          });
        } else {
          text.split("\n").forEach(function (line) { d.appendChild(el("p", "", line)); });
        }
        li.appendChild(d);
      }
      if (q) {
        var t = q.querySelector(".q-text");
        if (t) Array.prototype.slice.call(t.childNodes).forEach(function (c) {
          h.appendChild(safe(document.importNode(c, true), role.href));
        });
        note("look-for", "What to look for", q.querySelector(".look-for"), "");
        note("red-flags", "Red flags", q.querySelector(".red-flags"), "");
        note("follow-ups", "Follow-up questions", q.querySelector(".follow-ups"), "");
        return;
      }
      if (it.x) {
        h.textContent = it.x;
      } else {
        h.textContent = it.q.replace(/^q-/, "").replace(/-/g, " ") + "…";
      }
      var gone = role && (role.missing || role.doc);
      if (gone) {
        li.classList.add("plan-gone");
        li.appendChild(el("p", "plan-warning", role.missing ?
          "This role is no longer in the guide." :
          "This question is no longer on its role's page; it may have been reworded or removed."));
      } else if (!it.x && !(role && role.pending)) {
        li.appendChild(el("p", "plan-warning", online ?
          "This question could not be loaded. Open it on its role's page." :
          "Opened from disk, this page cannot read the role pages: open the link above, or open the plan from the guide's web address."));
      }
      note("look-for", "What to look for", null, it.l);
      note("red-flags", "Red flags", null, it.f);
      note("follow-ups", "Follow-up questions", null, it.u);
    }

    function render() {
      var p = current(), own = !shared;
      list.textContent = "";
      p.items.forEach(function (it, i) {
        var li = el("li", "plan-item");
        body(li, it);
        li.appendChild(el("div", "plan-notes", "Notes"));
        if (own) {
          var tools = el("p", "plan-item-tools");
          [["up", "Move up", i > 0], ["down", "Move down", i < p.items.length - 1], ["remove", "Remove", true]].forEach(function (x) {
            var b = el("button", "plan-" + x[0], x[1]);
            b.type = "button";
            b.disabled = !x[2];
            b.setAttribute("aria-label", x[1] + ": question " + (i + 1));
            b.addEventListener("click", function () { act(x[0], i); });
            tools.appendChild(b);
            tools.appendChild(document.createTextNode(" "));
          });
          li.appendChild(tools);
        }
        list.appendChild(li);
      });
      var n = p.items.length;
      empty.hidden = n > 0 || !own;
      head.hidden = n === 0;
      sharedBox.hidden = !shared;
      titleInput.readOnly = !own;
      if (document.activeElement !== titleInput) titleInput.value = p.title;
      titlePrint.textContent = p.title;
      shareBox.hidden = !own;
      copyButton.hidden = clearButton.hidden = !own;
      linkInput.value = n ? shareLink(p) : "";
      if (shared) {
        var mine = load().items.length;
        page.querySelector(".plan-shared-text").textContent = "A plan shared with you: " +
          plural(n, "question", "questions") + (p.title ? ", “" + p.title + "”" : "") + ". " +
          (mine ? "Your own plan has " + plural(mine, "question", "questions") + "." : "");
        saveButton.textContent = mine ? "Replace my plan" : "Save as my plan";
        saveButton.hidden = n === 0;
        mergeButton.hidden = !mine || n === 0;
        if (n === 0) page.querySelector(".plan-shared-text").textContent = "This link names no question of this guide. " +
          (mine ? "Your own plan has " + plural(mine, "question", "questions") + ": open the plan from the header to see it." : "");
      }
      updateCount(load().items.length);
    }

    // act moves or removes question i and keeps the focus on the list.
    function act(what, i) {
      var p = load();
      if (i >= p.items.length) return;
      var it = p.items[i], text = it.x || it.q, to = i;
      if (what === "remove") {
        change(function (p) { p.items.splice(i, 1); }, "Removed “" + text + "”.", true);
        var rest = list.querySelectorAll(".plan-item");
        var next = rest[Math.min(i, rest.length - 1)];
        (next ? next.querySelector(".plan-remove") : page.querySelector("h1")).focus();
        return;
      }
      to = what === "up" ? i - 1 : i + 1;
      change(function (p) {
        var x = p.items.splice(i, 1)[0];
        p.items.splice(to, 0, x);
      }, "Moved “" + text + "” to place " + (to + 1) + " of " + p.items.length + ".", false);
      var moved = list.querySelectorAll(".plan-item")[to], b = moved && moved.querySelector(".plan-" + what);
      if (b && b.disabled) b = moved.querySelector(what === "up" ? ".plan-down" : ".plan-up");
      if (b) b.focus();
    }

    // refreshLive reads each role of the plan from the guide, once, and
    // shows the questions as they are now; in one's own plan it also stores
    // what it read, for when the page cannot read the guide.
    function refreshLive() {
      if (!online) return;
      var p = current(), roles = {};
      p.items.forEach(function (it) { roles[it.r] = true; });
      Object.keys(roles).forEach(function (r) {
        if (live[r]) return;
        var href = roleHref(r);
        live[r] = { pending: true };
        fetch(href, { credentials: "same-origin" }).then(function (res) {
          if (res.status === 404 || res.status === 410) {
            live[r] = { missing: true };
            return;
          }
          if (!res.ok) throw new Error(res.status);
          return res.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var art = doc.querySelector("article[data-role]");
            live[r] = { doc: doc, href: href, title: art ? art.getAttribute("data-title") : "" };
            if (!shared) store(r, doc, live[r].title);
          });
        }).catch(function () {
          live[r] = { failed: true };
        }).then(render);
      });
    }

    // store updates the stored text of the plan's questions of role r.
    function store(r, doc, title) {
      var p = load(), changed = false;
      p.items.forEach(function (it, i) {
        if (it.r !== r) return;
        var q = doc.getElementById(it.q);
        if (!q || !q.matches("li.question")) return;
        var fresh = capture(q, r, title || it.t);
        if (JSON.stringify(fresh) !== JSON.stringify(it)) {
          p.items[i] = fresh;
          changed = true;
        }
      });
      if (changed) save(p);
    }

    titleInput.addEventListener("input", function () {
      if (shared) return;
      var p = load();
      p.title = clip(titleInput.value, 120);
      save(p);
      titlePrint.textContent = p.title;
      linkInput.value = p.items.length ? shareLink(p) : "";
    });
    page.querySelector(".plan-print").addEventListener("click", function () { window.print(); });
    copyButton.addEventListener("click", function () {
      var link = linkInput.value;
      function manual() {
        linkInput.focus();
        linkInput.select();
        say("Select the link below and copy it.", false);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(function () {
          say("Link copied. " + (location.protocol === "file:" ?
            "It points at this computer's copy of the guide; share one from the guide's web address instead." :
            "Anyone with it sees these questions, in this order."), false);
        }, manual);
      } else {
        manual();
      }
    });
    clearButton.addEventListener("click", function () {
      var n = load().items.length;
      change(function (p) { p.items = []; p.title = ""; }, "Cleared " + plural(n, "question", "questions") + ".", true);
      undo.focus();
    });
    function adopt(merge) {
      var p = merge ? load() : { title: shared.title, items: [] };
      shared.items.forEach(function (it) {
        if (indexOf(p, it.r, it.q) < 0 && p.items.length < MAX) {
          var role = live[it.r], q = role && role.doc ? role.doc.getElementById(it.q) : null;
          p.items.push(q && q.matches("li.question") ? capture(q, it.r, role.title) : it);
        }
      });
      if (!p.title) p.title = shared.title;
      before = merge ? null : JSON.parse(JSON.stringify(load()));
      var kept = save(p);
      shared = null;
      history.replaceState(null, "", location.pathname + location.search);
      render();
      say((merge ? "Added to your plan: " : "Saved as your plan: ") + plural(p.items.length, "question", "questions") + " now." +
        (kept ? "" : " This browser does not let the guide store the plan: it lasts while this page is open."), !merge && before.items.length > 0);
      page.querySelector("h1").focus();
    }
    saveButton.addEventListener("click", function () { adopt(false); });
    mergeButton.addEventListener("click", function () { adopt(true); });
    window.addEventListener("storage", function (e) {
      if (!shared && (e.key === KEY || e.key === null)) {
        render();
        refreshLive();
      }
    });
    window.addEventListener("hashchange", function () {
      shared = parseShared(location.hash);
      render();
      refreshLive();
    });
    window.addEventListener("beforeprint", function () { titlePrint.textContent = current().title; });
    page.querySelector("h1").tabIndex = -1;
    list.tabIndex = -1;
    render();
    refreshLive();
    if (storeFailed) say("This browser does not let the guide store the plan.", false);
  }

  if (article) rolePage();
  if (page) planPage();
})();

// guide interview plan: the "Add to plan" buttons of role pages, category
// pages and the search results page, and the plan page
// (layouts/plan.html), where the picked questions are put in order,
// printed and shared.
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
  var NO_STORE = "This browser does not let the guide keep a plan (its storage is blocked), so the plan lasts only while this page is open.";

  // ---- Where the plan lives.
  var page = document.querySelector("[data-plan-page]");
  var article = document.querySelector("article[data-role]");
  var listing = document.querySelector("[data-category]");
  // The plan page's address, without index.html: the key of the plan, and
  // the base of shared links. The header links to it; a theme's header
  // may not, and role pages are at roles/<slug>/.
  var nav = document.querySelector("a.plan-nav[href]"), search = document.querySelector("form.search[data-root]");
  var planURL = new URL(page ? "./" : nav ? nav.getAttribute("href") : search ? search.getAttribute("data-root") + "plan/" : "../../plan/", location.href);
  if (listing && !nav && !search) listing = null; // nowhere to put what it picks
  planURL.hash = "";
  planURL.search = "";
  var planHref = planURL.href.replace(/index\.html$/, "");
  // The plan page as a link opens it: from disk, its index.html.
  var planLink = planHref + (location.protocol === "file:" ? "index.html" : "");
  var rootHref = new URL("../", planHref).href;
  var KEY = "guide-plan " + planHref;
  var memory = null; // the plan, where the browser does not let us store it
  var canStore = (function () {
    try {
      localStorage.setItem(KEY + " test", "1");
      localStorage.removeItem(KEY + " test");
      return true;
    } catch (e) {
      return false;
    }
  })();

  // quote names a question in a message short enough for the bar on top of
  // a phone's screen: its first words, up to about 60 characters.
  function quote(s) {
    if (s.length <= 60) return "“" + s + "”";
    var cut = clip(s, 60), sp = cut.lastIndexOf(" ");
    return "“" + (sp > 30 ? cut.slice(0, sp) : cut).replace(/[\s,;:.]+$/, "") + "…”";
  }

  // clip cuts s to n characters, never inside one, and replaces halves of
  // characters, which encodeURIComponent refuses.
  function clip(s, n) {
    if (typeof s !== "string") return "";
    s = s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/g, function (m) {
      return m.length > 1 ? m.charAt(0) + "\uFFFD" : "\uFFFD";
    });
    if (s.length > n) s = s.slice(0, /[\uD800-\uDBFF]/.test(s.charAt(n - 1)) ? n - 1 : n);
    return s;
  }

  // clean keeps the well-formed items of a stored or shared plan, at most
  // MAX, and counts what it left out: bad entries and those over MAX.
  function clean(p) {
    var out = { title: "", items: [], bad: 0, over: 0 }, seen = {};
    if (!p || typeof p !== "object") return out;
    out.title = clip(p.title, 120);
    (Array.isArray(p.items) ? p.items : []).forEach(function (it) {
      if (!it || typeof it.r !== "string" || !SLUG.test(it.r) || typeof it.q !== "string" || !ANCHOR.test(it.q)) {
        out.bad++;
        return;
      }
      var id = it.r + "#" + it.q;
      if (seen[id]) return;
      seen[id] = true;
      if (out.items.length >= MAX) {
        out.over++;
        return;
      }
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

  // save stores the plan: in the browser where it can, else in memory.
  function save(p) {
    var keep = { title: p.title, items: p.items };
    try {
      localStorage.setItem(KEY, JSON.stringify(keep));
      memory = null;
    } catch (e) {
      memory = keep;
    }
    updateCount(keep.items.length);
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

  function leftOut(over) {
    return over ? " " + plural(over, "question was", "questions were") + " left out: a plan holds at most " + MAX + "." : "";
  }

  // updateCount tells site.js, which shows it in the header's plan link,
  // how many questions the plan holds.
  function updateCount(n) {
    document.dispatchEvent(new CustomEvent("guide-plan", { detail: n }));
  }

  // DOM methods called through their prototypes: a role page's content,
  // where the guide lets raw HTML through, could name an element
  // "getElementById" and hide the document's own.
  var byId = function (doc, id) { return Document.prototype.getElementById.call(doc, id); };
  var query = function (node, sel) { return Element.prototype.querySelector.call(node, sel); };
  var matches = function (node, sel) { return Element.prototype.matches.call(node, sel); };

  // question returns the question with anchor id in a role page, or null.
  function question(doc, id) {
    var q = byId(doc, id);
    return q && matches(q, "li.question") ? q : null;
  }

  // blockText is an element's text with a line break between blocks.
  function blockText(el) {
    var out = [], top = [];
    function flush(line) {
      var s = line.join("").replace(/\s+/g, " ").trim();
      if (s) out.push(s);
      line.length = 0;
    }
    (function walk(n, line) {
      for (var c = n.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          line.push(c.nodeValue);
        } else if (c.nodeType === 1 && !/^h[1-6]$/i.test(c.localName)) {
          if (/^(p|li|ul|ol|pre|div|blockquote|table|tr|dl|dt|dd)$/i.test(c.localName)) {
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
    return out.join("\n");
  }

  // capture reads a question as its role page shows it.
  function capture(li, slug, title) {
    var sec = li.closest("section[data-title]");
    var part = function (sel) { var e = query(li, sel); return e ? blockText(e) : ""; };
    return {
      r: slug, q: li.id, t: title, c: sec ? sec.getAttribute("data-title") : "",
      n: part(".q-num").replace(/\D/g, ""), x: part(".q-text"),
      l: part(".look-for"), f: part(".red-flags"), u: part(".follow-ups")
    };
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ---- Role and category pages: a button beside each question.

  // pickers lists the questions of the page that can go into the plan,
  // each with where its button goes and how to read it.
  function pickers() {
    var out = [];
    if (article) {
      var slug = article.getAttribute("data-role"), title = article.getAttribute("data-title") || "";
      if (!SLUG.test(slug)) return out;
      article.querySelectorAll("li.question[id]").forEach(function (li) {
        if (!ANCHOR.test(li.id)) return;
        var head = query(li, ".q-head") || li, link = query(head, ".q-link"), num = query(li, ".q-num");
        out.push({
          r: slug, q: li.id, n: num ? num.textContent.replace(/\D/g, "") : "",
          into: head, before: link && link.parentNode === head ? link : null,
          read: function () { return capture(li, slug, title); }
        });
      });
    } else if (listing) {
      // A category page: each role's section, under a heading with the id
      // "r-<slug>", links to its questions. What to look for is on the
      // role's page, which the plan page reads.
      var cat = listing.getAttribute("data-category") || "";
      listing.querySelectorAll("section").forEach(function (sec) {
        var h = query(sec, "h2[id^='r-']"), slug = h ? h.id.slice(2) : "", link = h ? query(h, "a") : null;
        var title = link ? blockText(link) : "";
        if (!SLUG.test(slug)) return;
        sec.querySelectorAll("li > a[href*='#']").forEach(function (a, i) {
          var q;
          try {
            q = decodeURIComponent(a.getAttribute("href").split("#")[1]);
          } catch (e) {
            return;
          }
          if (!ANCHOR.test(q)) return;
          out.push({
            r: slug, q: q, n: String(i + 1), of: title, into: a.parentNode, before: null, small: true,
            read: function () { return { r: slug, q: q, t: title, c: cat, n: "", x: blockText(a), l: "", f: "", u: "" }; }
          });
        });
      });
    }
    return out;
  }

  // resultPickers lists the questions among the search results page's
  // results: links to roles/<slug>/#q-..., labelled "Role · Category".
  function resultPickers(list) {
    var out = [];
    list.querySelectorAll("li").forEach(function (li) {
      var a = query(li, "a[href]");
      if (!a || query(li, ".plan-add")) return;
      var m = /(?:^|\/)roles\/([a-z0-9-]+)\/(?:index\.html)?#(q-[^#]*)$/.exec(a.getAttribute("href")), q;
      if (!m || !SLUG.test(m[1])) return;
      try {
        q = decodeURIComponent(m[2]);
      } catch (e) {
        return;
      }
      if (!ANCHOR.test(q)) return;
      var meta = query(a, ".sr-meta"), label = meta ? meta.textContent : "", cut = label.lastIndexOf(" · ");
      var text = query(a, ".sr-text"), title = cut > 0 ? label.slice(0, cut) : "";
      out.push({
        r: m[1], q: q, n: "", name: quote(text ? blockText(text) : blockText(a)), of: title, into: li, before: null, small: true,
        read: function () {
          return { r: m[1], q: q, t: title, c: cut > 0 ? label.slice(cut + 3) : "", n: "", x: text ? blockText(text) : blockText(a), l: "", f: "", u: "" };
        }
      });
    });
    return out;
  }

  // pickPage puts an Add to plan button beside each question of picks, and
  // returns what adds more (for results that appear later).
  function pickPage(picks, where) {
    // What the buttons do is said aloud and, for a few seconds, shown.
    var toast = el("p", "plan-toast");
    toast.setAttribute("role", "status");
    toast.setAttribute("aria-live", "polite");
    // A link to the plan stays on screen while the plan holds questions
    // and the header's own link is out of sight: the message goes too soon
    // to follow a link in it.
    var dock = el("a", "plan-dock");
    dock.href = planLink;
    dock.hidden = true;
    where.appendChild(dock);
    where.appendChild(toast);
    var timer = 0, all = [], navInSight = false;
    if (nav && typeof IntersectionObserver === "function") {
      navInSight = true; // at the top of the page, until the observer says
      new IntersectionObserver(function (es) {
        navInSight = es[es.length - 1].isIntersecting;
        showDock(load().items.length);
      }).observe(nav);
    }
    function showDock(n) {
      dock.textContent = "Open the plan (" + plural(n, "question", "questions") + ")";
      dock.hidden = !(n > 0) || navInSight;
    }
    function say(msg) {
      toast.textContent = msg;
      clearTimeout(timer);
      timer = setTimeout(function () { toast.textContent = ""; }, 6000);
    }
    function attach(x) {
      var b = el("button", x.small ? "plan-add plan-add-small" : "plan-add");
      b.type = "button";
      x.label = el("span", "");
      b.appendChild(x.label);
      b.appendChild(el("span", "visually-hidden", (x.n ? ": question " + x.n : x.name ? ": " + x.name : ":") + (x.of ? " of " + x.of : "")));
      if (x.small) x.into.appendChild(document.createTextNode(" "));
      x.into.insertBefore(b, x.before);
      x.b = b;
      b.addEventListener("click", function () {
        var p = load(), i = indexOf(p, x.r, x.q), msg;
        if (i >= 0) {
          p.items.splice(i, 1);
          msg = "Removed from the plan";
        } else if (p.items.length >= MAX) {
          say("Not added: a plan holds at most " + MAX + " questions.");
          return;
        } else {
          p.items.push(x.read());
          msg = "Added to the plan";
        }
        save(p);
        refresh(p);
        say(msg + ": " + plural(p.items.length, "question", "questions") + "." + (canStore ? "" : " " + NO_STORE));
      });
      all.push(x);
    }
    function refresh(p) {
      showDock(p.items.length);
      all = all.filter(function (x) { return x.b.isConnected; });
      all.forEach(function (x) {
        var on = indexOf(p, x.r, x.q) >= 0;
        x.label.textContent = on ? "Remove from plan" : "Add to plan";
        x.b.classList.toggle("in-plan", on);
      });
    }
    function add(picks) {
      picks.forEach(attach);
      refresh(load());
    }
    add(picks);
    window.addEventListener("storage", function (e) {
      if (e.key === KEY || e.key === null) refresh(load());
    });
    return add;
  }

  // ---- The plan page.

  // parseShared reads a shared plan from the address's fragment, or returns
  // null when there is none.
  function parseShared(hash) {
    var parts = {};
    hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) parts[kv.slice(0, i)] = kv.slice(i + 1);
    });
    if (typeof parts.plan !== "string") return null;
    var p = { title: "", items: [] }, bad = 0;
    try {
      p.title = parts.title ? decodeURIComponent(parts.title) : "";
    } catch (e) { /* a broken title is left out */ }
    parts.plan.split(";").forEach(function (group) {
      var i = group.indexOf(":");
      if (i <= 0) {
        if (group) bad++;
        return;
      }
      var r = group.slice(0, i);
      group.slice(i + 1).split(",").forEach(function (q) {
        try {
          p.items.push({ r: r, q: decodeURIComponent(q) });
        } catch (e) {
          bad++;
        }
      });
    });
    var out = clean(p);
    out.bad += bad;
    return out;
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
    return planLink + h;
  }

  function roleHref(slug) {
    return rootHref + "roles/" + slug + "/";
  }

  // Markup a question may keep when it is shown here from its role page:
  // the elements markdown makes, with no attributes but a link's address
  // and an image's source and text. Everything else is left out, its text
  // kept, except what holds no text worth showing.
  var KEEP = /^(p|br|em|strong|b|i|u|s|del|code|pre|kbd|sub|sup|mark|small|span|blockquote|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|th|td|hr|a|img)$/;
  var DROP = /^(script|style|template|noscript|iframe|object|embed|svg|math|canvas|audio|video|form|input|button|select|textarea|link|meta|base|title)$/;
  var HTML_NS = "http://www.w3.org/1999/xhtml";

  // copy makes a safe copy, in this document, of a node of a role page, its
  // links resolved against that page.
  function copy(node, base, into) {
    if (node.nodeType === 3) {
      into.appendChild(document.createTextNode(node.nodeValue));
      return;
    }
    if (node.nodeType !== 1) return;
    var name = String(node.localName).toLowerCase();
    if (node.namespaceURI !== HTML_NS || DROP.test(name)) return;
    var target = into;
    if (KEEP.test(name)) {
      target = document.createElement(name);
      var url = function (attr, ok) {
        var v = node.getAttribute(attr);
        if (v === null) return;
        try {
          var u = new URL(v, base);
          if (ok.test(u.protocol)) target.setAttribute(attr, u.href);
        } catch (e) { /* left out */ }
      };
      if (name === "a") url("href", /^(https?|mailto|file):$/);
      if (name === "img") {
        url("src", /^(https?|file):$/);
        if (node.hasAttribute("alt")) target.setAttribute("alt", node.getAttribute("alt"));
      }
      if ((name === "td" || name === "th") && /^\d{1,3}$/.test(node.getAttribute("colspan") || "")) target.setAttribute("colspan", node.getAttribute("colspan"));
      into.appendChild(target);
    }
    for (var c = node.firstChild; c; c = c.nextSibling) copy(c, base, target);
  }

  function planPage() {
    var shared = parseShared(location.hash);
    var list = page.querySelector(".plan-list"), status = page.querySelector(".plan-status");
    var head = page.querySelector(".plan-head"), empty = page.querySelector(".plan-empty");
    var sharedBox = page.querySelector(".plan-shared"), titleInput = page.querySelector(".plan-title");
    var titlePrint = page.querySelector(".plan-title-print"), linkInput = page.querySelector(".plan-link-url");
    var copyButton = page.querySelector(".plan-copy"), clearButton = page.querySelector(".plan-clear");
    var saveButton = page.querySelector(".plan-save"), mergeButton = page.querySelector(".plan-merge");
    var shareBox = page.querySelector(".plan-share"), h1 = page.querySelector("h1");
    var undo = el("button", "plan-undo", "Undo");
    undo.type = "button";
    undo.hidden = true;
    status.parentNode.insertBefore(undo, status.nextSibling);
    // What Undo puts back: removed questions with their places, and the
    // title; or, after a shared plan replaced one's own, the plan before.
    var undoable = null;
    var live = {}; // role slug → {doc, href, title} or {missing} or {failed} or {pending}
    var online = /^https?:$/.test(location.protocol);

    function current() {
      return shared || load();
    }

    // say shows msg above the list, where it stays in sight while the list
    // scrolls (see .plan-feedback), with Undo when it applies.
    function say(msg, canUndo) {
      status.textContent = (msg + (canStore ? "" : " " + NO_STORE)).trim();
      undo.hidden = !canUndo;
      if (!canUndo) undoable = null;
      status.parentNode.classList.remove("idle");
    }

    undo.addEventListener("click", function () {
      var u = undoable, p;
      if (!u) return;
      undoable = null;
      if (u.plan) {
        p = u.plan;
      } else {
        p = load();
        u.removed.forEach(function (x) {
          if (indexOf(p, x.it.r, x.it.q) < 0 && p.items.length < MAX) p.items.splice(Math.min(x.at, p.items.length), 0, x.it);
        });
        if (!p.title) p.title = u.title || "";
      }
      save(p);
      render();
      say("Put back: " + plural(p.items.length, "question", "questions") + " in the plan.", false);
      var first = u.removed ? u.removed[0] : null;
      var at = first ? indexOf(p, first.it.r, first.it.q) : 0;
      var item = list.querySelectorAll(".plan-item")[Math.max(at, 0)];
      (item ? item.querySelector(".plan-remove") : h1).focus();
    });

    // body shows a question: as its role page has it now when that page
    // was read, else as it was stored, else by its anchor.
    function body(li, it) {
      var role = live[it.r] || {}, q = role.doc ? question(role.doc, it.q) : null;
      var meta = el("p", "plan-meta");
      var a = el("a", "", role.title || it.t || it.r);
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
          for (var c = from.firstChild; c; c = c.nextSibling) {
            if (!(c.nodeType === 1 && /^h[1-6]$/i.test(c.localName))) copy(c, role.href, d);
          }
        } else if (cls === "follow-ups") {
          var ul = el("ul");
          text.split("\n").forEach(function (line) { ul.appendChild(el("li", "", line)); });
          d.appendChild(ul);
        } else {
          text.split("\n").forEach(function (line) { d.appendChild(el("p", "", line)); });
        }
        li.appendChild(d);
      }
      if (q) {
        var t = query(q, ".q-text");
        if (t) for (var c = t.firstChild; c; c = c.nextSibling) copy(c, role.href, h);
        note("look-for", "What to look for", query(q, ".look-for"), "");
        note("red-flags", "Red flags", query(q, ".red-flags"), "");
        note("follow-ups", "Follow-up questions", query(q, ".follow-ups"), "");
        return;
      }
      h.textContent = it.x || it.q.replace(/^q-/, "").replace(/-/g, " ") + "…";
      var warning = "";
      if (role.missing) {
        warning = "This role is no longer in the guide.";
      } else if (role.doc) {
        warning = "This question is no longer on its role's page; it may have been reworded or removed.";
      } else if (!it.x && !role.pending) {
        warning = online ?
          "This question could not be loaded. Open it on its role's page." :
          "Opened from disk, this page cannot read the role pages: open the link above, or open the plan from the guide's web address.";
      } else if (!online && !(it.l || it.f || it.u)) {
        warning = "Added from a list, this question was stored without its notes, and opened from disk this page cannot read them: open the link above for what to look for.";
      }
      if (warning) {
        if (role.missing || role.doc) li.classList.add("plan-gone");
        li.appendChild(el("p", "plan-warning", warning));
      }
      note("look-for", "What to look for", null, it.l);
      note("red-flags", "Red flags", null, it.f);
      note("follow-ups", "Follow-up questions", null, it.u);
    }

    function render() {
      var p = current(), own = !shared;
      // The list is drawn anew (after a move, or when a role's page
      // arrives): keep the focus on the same button of the same question.
      var f = document.activeElement, at = -1, cls = "";
      if (f && f !== list && list.contains(f)) {
        at = Array.prototype.indexOf.call(list.children, f.closest(".plan-item"));
        cls = f.classList[0] || "";
      }
      list.textContent = "";
      p.items.forEach(function (it, i) {
        var li = el("li", "plan-item");
        try {
          body(li, it);
        } catch (e) {
          // A role page this script cannot read sensibly: show what was
          // stored rather than stop at this question.
          li.textContent = "";
          li.appendChild(el("h2", "plan-text", it.x || it.q));
        }
        li.appendChild(el("div", "plan-notes", "Notes"));
        if (own) {
          var tools = el("p", "plan-item-tools");
          [["up", "Move up", i > 0], ["down", "Move down", i < p.items.length - 1], ["remove", "Remove", true]].forEach(function (x) {
            var b = el("button", "plan-" + x[0], x[1]);
            b.type = "button";
            b.disabled = !x[2];
            b.appendChild(el("span", "visually-hidden", ": question " + (i + 1)));
            b.addEventListener("click", function () { act(x[0], i); });
            tools.appendChild(b);
            tools.appendChild(document.createTextNode(" "));
          });
          li.appendChild(tools);
        }
        list.appendChild(li);
      });
      var again = at >= 0 && list.children[Math.min(at, list.children.length - 1)];
      var target = again && cls ? again.querySelector("." + cls + ":not(:disabled)") : null;
      if (target) target.focus();
      var n = p.items.length;
      empty.hidden = n > 0 || !own;
      head.hidden = n === 0;
      sharedBox.hidden = !shared;
      titleInput.readOnly = !own;
      if (document.activeElement !== titleInput) titleInput.value = p.title;
      titlePrint.textContent = p.title;
      shareBox.hidden = copyButton.hidden = clearButton.hidden = !own;
      linkInput.value = n ? shareLink(p) : "";
      if (shared) {
        var mine = load().items.length, text;
        if (n === 0) {
          text = "This link names no question of this guide." +
            (mine ? " Your own plan has " + plural(mine, "question", "questions") + ": open the plan from the header to see it." : "");
        } else {
          text = "A plan shared with you: " + plural(n, "question", "questions") + (p.title ? ", “" + p.title + "”" : "") + "." +
            (mine ? " Your own plan has " + plural(mine, "question", "questions") + "." : "");
        }
        if (shared.bad) text += " " + plural(shared.bad, "entry", "entries") + " of the link could not be read.";
        text += leftOut(shared.over);
        page.querySelector(".plan-shared-text").textContent = text;
        saveButton.textContent = mine ? "Replace my plan" : "Save as my plan";
        saveButton.hidden = n === 0;
        mergeButton.hidden = !mine || n === 0;
      }
      updateCount(load().items.length);
    }

    // act moves or removes question i and keeps the focus on the list.
    function act(what, i) {
      var p = load();
      if (i >= p.items.length) return;
      var it = p.items[i], text = it.x || it.q;
      if (what === "remove") {
        p.items.splice(i, 1);
        save(p);
        render();
        undoable = { removed: [{ it: it, at: i }] };
        say("Removed " + quote(text) + ". Undo puts it back.", true);
        var rest = list.querySelectorAll(".plan-item");
        var next = rest[Math.min(i, rest.length - 1)];
        (next ? next.querySelector(".plan-remove") : h1).focus();
        return;
      }
      var to = what === "up" ? i - 1 : i + 1;
      p.items.splice(to, 0, p.items.splice(i, 1)[0]);
      save(p);
      render();
      say("Moved " + quote(text) + " to place " + (to + 1) + " of " + p.items.length + ".", false);
      var moved = list.querySelectorAll(".plan-item")[to], b = moved && moved.querySelector(".plan-" + what);
      if (b && b.disabled) b = moved.querySelector(what === "up" ? ".plan-down" : ".plan-up");
      if (b) b.focus();
    }

    // refreshLive reads each role of the plan from the guide, once, and
    // shows the questions as they are now; in one's own plan it also stores
    // what it read, for when the page cannot read the guide.
    function refreshLive() {
      if (!online) return;
      var roles = {};
      current().items.forEach(function (it) { roles[it.r] = true; });
      Object.keys(roles).forEach(function (r) {
        if (live[r]) return;
        var href = roleHref(r);
        live[r] = { pending: true };
        fetch(href).then(function (res) {
          if (res.status === 404 || res.status === 410) {
            live[r] = { missing: true };
            return;
          }
          if (!res.ok) throw new Error(res.status);
          return res.text().then(function (html) {
            var doc = new DOMParser().parseFromString(html, "text/html");
            var art = Document.prototype.querySelector.call(doc, "article[data-role]");
            live[r] = { doc: doc, href: href, title: art ? art.getAttribute("data-title") : "" };
            if (!shared) store(r);
          });
        }).catch(function () {
          live[r] = { failed: true };
        }).then(render);
      });
    }

    // store updates the stored text of the plan's questions of role r.
    function store(r) {
      var p = load(), changed = false, role = live[r];
      p.items.forEach(function (it, i) {
        var q = it.r === r ? question(role.doc, it.q) : null;
        if (!q) return;
        var fresh = capture(q, r, role.title || it.t);
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
      var p = load();
      undoable = { removed: p.items.map(function (it, i) { return { it: it, at: i }; }), title: p.title };
      save({ title: "", items: [] });
      render();
      say("Cleared " + plural(p.items.length, "question", "questions") + ". Undo puts them back.", true);
      undo.focus();
    });
    function adopt(merge) {
      var mine = load(), p = merge ? load() : { title: shared.title, items: [] }, over = shared.over;
      shared.items.forEach(function (it) {
        if (indexOf(p, it.r, it.q) >= 0) return;
        if (p.items.length >= MAX) {
          over++;
          return;
        }
        var role = live[it.r] || {}, q = role.doc ? question(role.doc, it.q) : null;
        p.items.push(q ? capture(q, it.r, role.title) : it);
      });
      if (!p.title) p.title = shared.title;
      save(p);
      shared = null;
      history.replaceState(null, "", location.pathname + location.search);
      render();
      var replaced = !merge && mine.items.length > 0;
      say((merge ? "Added to your plan: " : "Saved as your plan: ") + plural(p.items.length, "question", "questions") + " now." + leftOut(over) +
        (replaced ? " Undo brings back the plan it replaced." : ""), replaced);
      if (replaced) undoable = { plan: mine };
      h1.focus();
    }
    saveButton.addEventListener("click", function () { adopt(false); });
    mergeButton.addEventListener("click", function () { adopt(true); });
    window.addEventListener("storage", function (e) {
      if (e.key !== KEY && e.key !== null) return;
      // Another tab changed the plan: what Undo would put back may no
      // longer fit it.
      undo.hidden = true;
      undoable = null;
      if (!shared) {
        render();
        refreshLive();
      }
    });
    // Only a shared plan's link changes the plan shown: other fragments
    // ("#main", from the skip link) leave it be.
    window.addEventListener("hashchange", function () {
      var s = parseShared(location.hash);
      if (!s) return;
      shared = s;
      render();
      refreshLive();
    });
    h1.tabIndex = -1;
    render();
    refreshLive();
    if (!canStore) say("", false);
  }

  // The header shows the count of the plan as this script reads it.
  updateCount(load().items.length);
  if (article || listing) pickPage(pickers(), article || listing);
  // The search results page draws its results as the query changes.
  var results = document.querySelector("[data-search-page] .search-results");
  if (results) {
    var add = pickPage([], results.parentNode);
    new MutationObserver(function () { add(resultPickers(results)); }).observe(results, { childList: true });
    add(resultPickers(results));
  }
  if (page) planPage();
})();

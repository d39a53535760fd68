// guide search: the client of the index that internal/search writes (see
// docs/search.md). site.js loads this file when the search box is first
// focused. Text is split, folded and stemmed exactly as the Go side does;
// internal/search's tests run this file in Node to hold the two together.
(function (root) {
  "use strict";

  // ---- Text: the same rules as internal/search/text.go and internal/fold.
  // Folding of U+00C0..U+017F; "" marks the two that are not letters.
  var LATIN = ("a a a a a a ae c e e e e i i i i d n o o o o o  o u u u u y th ss a a a a a a ae c e e e e i i i i " +
    "d n o o o o o  o u u u u y th y a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g g g g g h h h h " +
    "i i i i i i i i i i ij ij j j k k k l l l l l l l l l l n n n n n n n n n o o o o o o oe oe r r r r r r s s s s " +
    "s s s s t t t t t t u u u u u u u u u u u u w w y y y z z z z z z s").split(" ");
  var LETTER = /[\p{L}\p{Nd}]/u, MARK = /\p{Mn}/u;

  // foldChar returns the folded form of one character, or null for a
  // separator.
  function foldChar(ch) {
    var c = ch.codePointAt(0);
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return ch;
      if (c >= 65 && c <= 90) return String.fromCharCode(c + 32);
      return null;
    }
    if (c >= 0xc0 && c <= 0x17f) return LATIN[c - 0xc0] || null;
    if (ch === "ª") return "a";
    if (ch === "º") return "o";
    if (LETTER.test(ch)) {
      var lower = ch.toLowerCase(), lc = lower.codePointAt(0);
      if (lower !== ch && lc >= 0xc0 && lc <= 0x17f && lower.length === 1) return LATIN[lc - 0xc0] || null;
      if (ch === "ẞ") return "ss";
      return lower;
    }
    if (MARK.test(ch)) return "";
    return null;
  }

  // words splits text into folded words.
  function words(s) {
    var out = [], w = "";
    for (var ch of s) {
      if (ch === "'" || ch === "’") continue;
      var f = foldChar(ch);
      if (f === null) {
        if (w) out.push(w);
        w = "";
      } else w += f;
    }
    if (w) out.push(w);
    return out;
  }

  var STOP = {};
  ("a an and are as at be but by can do does for from had has have how i if in into is it its " +
    "me my no not of on or our so than that the their them then there these they this to was we " +
    "were what when where which who why will with would you your").split(" ").forEach(function (w) { STOP[w] = true; });
  var MAX_WORD = 40;

  function endsWith(w, s) { return w.length >= s.length && w.slice(-s.length) === s; }
  function undouble(w) {
    var n = w.length;
    return n > 2 && w[n - 1] === w[n - 2] && "aeioulsz".indexOf(w[n - 1]) < 0 ? w.slice(0, -1) : w;
  }
  // stem is internal/search.Stem.
  function stem(w) {
    if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
    if (endsWith(w, "ies") && w.length > 4) w = w.slice(0, -3) + "y";
    else if (endsWith(w, "sses")) w = w.slice(0, -2);
    else if (endsWith(w, "xes") || endsWith(w, "ches") || endsWith(w, "shes") || endsWith(w, "zzes")) w = w.slice(0, -2);
    else if (endsWith(w, "ss") || endsWith(w, "us") || endsWith(w, "is")) { /* keep */ }
    else if (endsWith(w, "s")) w = w.slice(0, -1);
    if (endsWith(w, "ing") && w.length > 5) w = undouble(w.slice(0, -3));
    else if (endsWith(w, "ed") && w.length > 4 && !endsWith(w, "eed")) w = undouble(w.slice(0, -2));
    if (w.length > 3 && w[w.length - 1] === "e") w = w.slice(0, -1);
    return w;
  }
  function terms(s) {
    return words(s).filter(function (w) { return utf8Length(w) <= MAX_WORD && !STOP[w]; }).map(stem);
  }

  // parse is internal/search.parse.
  function parse(q, prefix) {
    var ws = words(q);
    var allStop = ws.every(function (w) { return STOP[w]; });
    var last = q ? Array.from(q).pop() : "";
    var partialLast = prefix && ws.length > 0 && q !== "" && !(foldChar(last) === null && last !== "'" && last !== "’");
    var out = [], seen = {};
    ws.forEach(function (w, i) {
      if (utf8Length(w) > MAX_WORD || (STOP[w] && !allStop)) return; // MAX_WORD counts bytes, as Go's len does
      var st = stem(w);
      if (seen[st]) return;
      seen[st] = true;
      out.push({ word: w, stem: st, partial: partialLast && i === ws.length - 1 });
    });
    return out;
  }

  // distance is the optimal string alignment distance, or limit+1 beyond it.
  function distance(a, b, limit) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = [], prev = [], cur = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) cur[j] = Math.min(cur[j], prev2[j - 2] + 1);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) return limit + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  // decode reads a tier: base64 of (varint document delta, impact byte).
  function decode(s) {
    var bin = atob(s), docs = [], imps = [], prev = 0, i = 0;
    while (i < bin.length) {
      var d = 0, mul = 1, c;
      do { c = bin.charCodeAt(i++); d += (c & 127) * mul; mul *= 128; } while (c & 128);
      prev += d;
      docs.push(prev);
      imps.push(bin.charCodeAt(i++));
    }
    return { docs: docs, imps: imps };
  }

  // ---- Engine: internal/search/query.go, step for step.
  var PREFIX = 0.8, TYPO1 = 0.6, TYPO2 = 0.4, MAX_PREFIX = 8, MAX_TYPOS = 3, TWO_EDITS = 8, PHRASE = 1.25, BASE_ROUNDS = 1, MIN_PREFIX = 2;

  function Engine(load, meta) {
    this.load = load; // name → Promise of payload
    this.meta = meta;
    this.shards = {};
    this.tiers = {};
    this.roles = {};
    this.prefixFiles = {};
    this.headFiles = {};
    this.v = meta.v + "/";
  }
  Engine.prototype.shardFor = function (term) {
    var best = -1, len = -1, s = this.meta.s;
    for (var i = 0; i < s.length; i++) {
      if (s[i].length > len && term.lastIndexOf(s[i], 0) === 0) { best = i; len = s[i].length; }
    }
    return best;
  };
  Engine.prototype.shard = function (i) {
    if (!this.shards[i]) this.shards[i] = this.load(this.v + "t/" + i);
    return this.shards[i];
  };
  Engine.prototype.role = function (i) {
    if (!this.roles[i]) this.roles[i] = this.load(this.v + "r/" + i);
    return this.roles[i];
  };
  // continues is internal/search.continues: the term t may be what a user
  // typing w is on the way to.
  var STEM_SLACK = 4;
  function continues(t, w) {
    if (t.lastIndexOf(w, 0) === 0) return true;
    return t.length >= 3 && w.length - t.length <= STEM_SLACK && w.lastIndexOf(t, 0) === 0 && /^[a-z]+$/.test(w);
  }
  // prefixShards is internal/search.Engine.prefixShards: the shard of the
  // terms that start with p, unless p has a prefix file (hinted), and those
  // of the stems p may run past.
  Engine.prototype.prefixShards = function (p, hinted) {
    var out = [];
    function add(i) { if (i >= 0 && out.indexOf(i) < 0) out.push(i); }
    if (!hinted) add(this.shardFor(p));
    if (/^[a-z]+$/.test(p)) for (var k = Math.max(3, p.length - STEM_SLACK); k < p.length; k++) add(this.shardFor(p.slice(0, k)));
    return out;
  };
  Engine.prototype.prefixFile = function (n) {
    if (!this.prefixFiles[n]) this.prefixFiles[n] = this.load(this.v + "h/" + n);
    return this.prefixFiles[n];
  };
  // typoShards is internal/search.Engine.typoShards: the word's own shard,
  // and those a transposed or an extra letter within its prefix sent it
  // away from.
  Engine.prototype.typoShards = function (stem, si) {
    var out = [si], rs = Array.from(stem), n = Array.from(this.meta.s[si]).length, i, v, self = this;
    function add(k) { if (k >= 0 && out.indexOf(k) < 0 && out.length < 4) out.push(k); }
    for (i = 0; i < n && i + 1 < rs.length; i++) {
      v = rs.slice();
      var c = v[i]; v[i] = v[i + 1]; v[i + 1] = c;
      add(self.shardFor(v.join("")));
    }
    for (i = 0; i < n && i < rs.length && rs.length > 1; i++) {
      v = rs.slice();
      v.splice(i, 1);
      add(self.shardFor(v.join("")));
    }
    return out;
  };
  function cmpStr(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function search(arr, x) { // binary search in sorted strings (by UTF-16 code units; terms are compared as the Go side sorts bytes)
    var lo = lowerBound(arr, x);
    return lo < arr.length && arr[lo] === x ? lo : -1;
  }
  // floor is the position of the last of the sorted strings arr at or
  // before x, or -1.
  function floor(arr, x) {
    var lo = lowerBound(arr, x);
    return lo < arr.length && arr[lo] === x ? lo : lo - 1;
  }
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (byteLess(arr[m], x)) lo = m + 1; else hi = m; }
    return lo;
  }
  // utf8Length is the length of s in UTF-8 bytes, as Go's len counts it.
  function utf8Length(s) {
    var n = 0;
    for (var ch of s) { var c = ch.codePointAt(0); n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }
    return n;
  }
  var enc = typeof TextEncoder !== "undefined" ? new TextEncoder() : null;
  function byteLess(a, b) {
    if (/^[\x00-\x7f]*$/.test(a + b)) return a < b;
    var x = enc.encode(a), y = enc.encode(b);
    for (var i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] < y[i];
    return x.length < y.length;
  }

  // loadAll loads shards at once, in one round of requests rather than one
  // after the other, and returns them in order.
  Engine.prototype.loadAll = function (sis) {
    var all = Promise.all(sis.map(function (i) { return this.shard(i); }, this));
    all.catch(function () {}); // a failure is reported where it is awaited
    return all;
  };
  Engine.prototype.alternatives = async function (w) {
    var si = this.shardFor(w.stem), self = this;
    var prefixed = w.partial && utf8Length(w.word) >= MIN_PREFIX;
    // What a word being typed may continue into loads with its own shard:
    // its prefix file, where the terms that start with it span several
    // shards, and the shards of the rest.
    var hint = prefixed ? (this.meta.h || []).indexOf(w.word) : -1;
    var ps = prefixed ? this.prefixShards(w.word, hint >= 0) : [];
    var hinted = hint >= 0 ? this.prefixFile(hint) : null;
    if (hinted) hinted.catch(function () {}); // a failure is reported where it is awaited
    var more = this.loadAll(ps), alts = [], exact = -1, starts = false;
    if (si >= 0) {
      var s = await this.shard(si);
      exact = search(s.t, w.stem);
      if (exact >= 0) alts.push({ s: s, si: si, term: exact, ti: exact, factor: 1, loaded: 0 });
    }
    if (prefixed) {
      var cands = [];
      // add considers term j of sh, which lives at position ti of shard si.
      var add = function (sh, j, si, ti) {
        var t = sh.t[j];
        if (continues(t, w.word) && t !== w.stem) cands.push({ a: { s: sh, si: si, term: j, ti: ti, factor: PREFIX, loaded: 0 }, df: sh.f[j], t: t });
      };
      if (hinted) {
        var pf = await hinted;
        pf.t.forEach(function (t, j) { add(pf, j, pf.s[j], pf.i[j]); });
      }
      (await more).forEach(function (sh, k) {
        sh.t.forEach(function (t, j) { add(sh, j, ps[k], j); });
      });
      starts = !!hinted || cands.some(function (c) { return c.t.lastIndexOf(w.word, 0) === 0; });
      cands.sort(function (a, b) { return b.df - a.df || (byteLess(a.t, b.t) ? -1 : a.t === b.t ? 0 : 1); });
      cands.slice(0, MAX_PREFIX).forEach(function (c) { alts.push(c.a); });
    }
    // A word being typed is corrected too when no term starts with it.
    if (exact < 0 && (!w.partial || !starts) && Array.from(w.stem).length >= 4) {
      (await this.typos(w.stem, si)).forEach(function (a) { alts.push(a); });
    }
    return alts;
  };
  // typos is internal/search.Engine.typos: the terms closest to a word not
  // in the index, from its own shard and those typoShards names, and from
  // the head files of its keys; si is -1 for a word without a shard.
  Engine.prototype.typos = async function (stem, si) {
    var limit = Array.from(stem).length >= TWO_EDITS ? 2 : 1, cands = [], self = this;
    var ts = si >= 0 ? this.typoShards(stem, si) : [];
    // heads reads the head files of keys, of one edit ("y") or two ("z"),
    // and returns what adds the candidates listed under them.
    function heads(kind, keys) {
      var names = self.meta[kind] || [], found = [], named = [];
      keys.forEach(function (k) {
        // The file whose first key's two letters are the last at or
        // before the key's.
        var n = floor(names, headBucket(k));
        if (n >= 0) { found.push(k); named.push(n); }
      });
      var files = Promise.all(named.map(function (n) { return self.headFile(kind, n); }));
      files.catch(function () {}); // a failure is reported where it is awaited
      return async function () {
        (await files).forEach(function (f, n) {
          var j = search(f.k, found[n]);
          if (j < 0) return;
          f.t[j].forEach(function (t, m) {
            var d = distance(stem, t, limit);
            if (d <= limit) cands.push({ si: f.s[j][m], ti: f.i[j][m], d: d, df: f.f[j][m], t: t });
          });
        });
      };
    }
    var keys = headKeys(stem, false), one = heads("y", keys);
    (await this.loadAll(ts)).forEach(function (sh, j) {
      sh.t.forEach(function (t, ti) {
        var d = distance(stem, t, limit);
        if (d <= limit) cands.push({ si: ts[j], ti: ti, d: d, df: sh.f[ti], t: t });
      });
    });
    await one();
    // A word long enough for two edits, and none of its candidates one
    // edit away, may have two in its first letters: its keys of two
    // deletions are a term's own key or one of one deletion (y), or one of
    // two deletions (z).
    if (limit === 2 && !cands.some(function (c) { return c.d <= 1; })) {
      var two = headKeys(stem, true).slice(keys.length), more = heads("y", two), z = heads("z", keys.concat(two));
      await more();
      await z();
    }
    cands.sort(function (a, b) { return a.d - b.d || b.df - a.df || (byteLess(a.t, b.t) ? -1 : a.t === b.t ? 0 : 1); });
    // A term found more than one way comes more than once, side by side.
    cands = cands.filter(function (c, i) { return i === 0 || cands[i - 1].t !== c.t; }).slice(0, MAX_TYPOS);
    var shards = await this.loadAll(cands.map(function (c) { return c.si; }));
    return cands.map(function (c, i) {
      if (shards[i].t[c.ti] !== c.t) throw new Error("head file and shard " + c.si + " disagree on " + c.t);
      return { s: shards[i], si: c.si, term: c.ti, ti: c.ti, factor: c.d === 2 ? TYPO2 : TYPO1, loaded: 0 };
    });
  };
  Engine.prototype.headFile = function (kind, n) {
    var name = kind + "/" + n;
    if (!this.headFiles[name]) {
      this.headFiles[name] = this.load(this.v + name).then(function (f) {
        var k = f.k.length, ok = f.t.length === k && f.s.length === k && f.i.length === k && f.f.length === k;
        for (var j = 0; ok && j < k; j++) {
          var m = f.t[j].length;
          ok = f.s[j].length === m && f.i[j].length === m && f.f[j].length === m;
        }
        if (!ok) throw new Error("head file " + name + " is damaged");
        return f;
      });
    }
    return this.headFiles[name];
  };
  // headKeys and headBucket are internal/search's: a word's first three
  // letters, what is left of them when one is deleted, and with two set,
  // when two of the first four are; a key is placed in the head files by
  // its first two letters.
  var HEAD_RUNES = 3;
  function headKeys(w, two) {
    var rs = Array.from(w);
    if (rs.length < HEAD_RUNES) return [];
    var keys = [rs.slice(0, HEAD_RUNES).join("")];
    function add(rest) {
      if (rest.length < HEAD_RUNES) return;
      var k = rest.slice(0, HEAD_RUNES).join("");
      if (keys.indexOf(k) < 0) keys.push(k);
    }
    for (var i = 0; i < HEAD_RUNES; i++) add(rs.slice(0, i).concat(rs.slice(i + 1)));
    if (two) {
      for (i = 0; i < HEAD_RUNES; i++) {
        for (var j = i + 1; j <= HEAD_RUNES && j < rs.length; j++) {
          add(rs.slice(0, i).concat(rs.slice(i + 1, j), rs.slice(j + 1)));
        }
      }
    }
    return keys;
  }
  function headBucket(k) { return Array.from(k).slice(0, 2).join(""); }
  function next(a) {
    var m = a.s.x[a.term];
    return a.loaded >= m.length ? 0 : a.factor * m[a.loaded];
  }
  Engine.prototype.postings = async function (a) {
    var k = a.loaded, enc;
    if (k === 0) enc = a.s.p[a.term];
    else {
      var key = a.si + "." + a.ti + "." + (k + 1);
      if (!this.tiers[key]) this.tiers[key] = this.load(this.v + "p/" + key);
      enc = await this.tiers[key];
    }
    a.loaded++;
    return decode(enc);
  };
  Engine.prototype.split = function (doc) {
    var m = this.meta, low = Math.pow(2, m.ib), mid = Math.pow(2, m.kb);
    return { role: Math.floor(doc / (low * mid)), kind: Math.floor(doc / low) % mid, idx: doc % low };
  };
  Engine.prototype.allowed = function (doc, f) {
    var p = this.split(doc), d = this.meta.d;
    if (f.kinds && f.kinds.indexOf(p.kind) < 0) return false;
    if (f.dept != null) {
      var end = f.dept + 1 < d.length ? d[f.dept + 1][1] : this.meta.r;
      if (p.role < d[f.dept][1] || p.role >= end) return false;
    }
    return true;
  };

  // search returns {hits, count, exact, words, matched, corrected}: the k
  // best documents; corrected has, for each word matched as a typo, its
  // typo terms, closest first.
  Engine.prototype.search = async function (q, k, prefix, f) {
    f = f || {};
    var ws = parse(q, prefix), self = this, n = ws.length;
    if (!n) return { hits: [], count: 0, exact: true, words: ws, matched: {}, corrected: [] };
    var alts = await Promise.all(ws.map(function (w) { return self.alternatives(w); })), i;
    var contrib = new Map();
    function add(i, a, ps) {
      for (var j = 0; j < ps.docs.length; j++) {
        var doc = ps.docs[j];
        if (!self.allowed(doc, f)) continue;
        var c = contrib.get(doc);
        if (!c) { c = new Array(n).fill(0); contrib.set(doc, c); }
        c[i] = Math.max(c[i], a.factor * ps.imps[j]);
      }
    }
    // Each round reads one tier per word, all at once; within a round the
    // tiers are added in word order, as the Go engine does.
    async function round(picks) {
      var got = await Promise.all(picks.map(function (p) { return self.postings(p[1]); }));
      picks.forEach(function (p, j) { add(p[0], p[1], got[j]); });
    }
    var first = [];
    for (i = 0; i < n; i++) for (var a of alts[i]) first.push([i, a]);
    await round(first);
    var ranked = [];
    for (var rounds = 0; ; rounds++) {
      var bound = new Array(n).fill(0), unseen = 0;
      for (i = 0; i < n; i++) { for (a of alts[i]) bound[i] = Math.max(bound[i], next(a)); unseen += bound[i]; }
      ranked = [];
      contrib.forEach(function (c, doc) {
        var sum = 0, matched = 0;
        for (var v of c) if (v > 0) { sum += v; matched++; }
        ranked.push({ doc: doc, score: sum * Math.pow(matched / n, 2) });
      });
      ranked.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
      if (unseen === 0 || rounds >= BASE_ROUNDS + Math.floor(k / 20)) break;
      var threshold = ranked.length >= k ? ranked[k - 1].score : -1;
      var done = threshold >= unseen;
      for (var r = Math.min(k, ranked.length); done && r < ranked.length; r++) {
        var upper = 0, c = contrib.get(ranked[r].doc);
        for (i = 0; i < n; i++) upper += Math.max(c[i], bound[i]);
        done = upper <= threshold;
      }
      if (done) break;
      var picks = [];
      for (i = 0; i < n; i++) {
        var best = null;
        for (a of alts[i]) if (next(a) > 0 && (best === null || next(a) > next(best))) best = a;
        if (best) picks.push([i, best]);
      }
      await round(picks);
    }
    // Count the documents that match any word: those seen, and, without a
    // filter, at least as many as the commonest term has.
    var count = contrib.size, exact = true;
    for (i = 0; i < n; i++) for (a of alts[i]) {
      exact = exact && next(a) === 0;
      if (!f.kinds && f.dept == null) count = Math.max(count, a.s.f[a.term]);
    }
    var matched = {}, corrected = [];
    for (i = 0; i < n; i++) for (a of alts[i]) matched[a.s.t[a.term]] = true;
    for (i = 0; i < n; i++) {
      var typos = alts[i].filter(function (a) { return a.factor < PREFIX; });
      if (typos.length) corrected.push(typos.map(function (a) { return a.s.t[a.term]; }));
    }
    var top = ranked.slice(0, k);
    await this.boost(top, ws);
    return { hits: top, count: count, exact: exact, words: ws, matched: matched, corrected: corrected };
  };

  // boost loads the hits' roles, fills in what to show, and moves up hits
  // whose text holds the query's words in order.
  Engine.prototype.boost = async function (hits, ws) {
    var phrase = ws.map(function (w) { return w.word; }), cats = this.meta.c.length, self = this;
    var files = await Promise.all(hits.map(function (h) { return self.role(self.split(h.doc).role); }));
    for (var x = 0; x < hits.length; x++) {
      var h = hits[x], p = this.split(h.doc), rf = files[x], docs = rf.k[p.kind] || [], d = docs[p.idx] || ["", "", ""];
      h.role = p.role; h.kind = p.kind; h.idx = p.idx;
      h.anchor = d[0]; h.text = d[1]; h.note = d[2];
      h.roleTitle = rf.t; h.slug = rf.u; h.dept = rf.d;
      h.label = p.kind < cats ? this.meta.c[p.kind][1] : p.kind === cats ? "FAQ" : "Role";
      if (phrase.length > 1 && containsPhrase(h.text, phrase)) h.score *= PHRASE;
    }
    hits.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
  };
  function containsPhrase(text, phrase) {
    var ws = words(text);
    for (var i = 0; i + phrase.length <= ws.length; i++) {
      var ok = true;
      for (var j = 0; j < phrase.length && ok; j++) {
        ok = j === phrase.length - 1 ? ws[i + j].lastIndexOf(phrase[j], 0) === 0 : ws[i + j] === phrase[j];
      }
      if (ok) return true;
    }
    return false;
  }

  var api = { foldChar: foldChar, words: words, stem: stem, terms: terms, parse: parse, distance: distance, decode: decode, headKeys: headKeys, headBucket: headBucket, Engine: Engine };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document === "undefined") return;

  // ---- Loading files as scripts, which works from file:// too.
  var pending = {}; // name → {promise, resolve}
  var settled = {};
  // site.js asks for meta.js along with this file (see its load): take
  // over the calls that came first, and the request still on its way.
  var early = (root.__guideSearch && root.__guideSearch.early) || { calls: [] };
  root.__guideSearch = function (name, data) {
    // A role file calls back with its name without the version ("r/12"),
    // so that an unchanged role's file stays the same from build to
    // build: the element that loaded it knows the whole name.
    var by = document.currentScript;
    if (by && by.hasAttribute("data-name")) name = by.getAttribute("data-name");
    settled[name] = data;
    if (pending[name]) pending[name].resolve(data);
  };
  early.calls.forEach(function (c) { root.__guideSearch(c[0], c[1]); });
  var script = document.currentScript;
  var base = new URL(script.getAttribute("data-root") || "./", location.href).href;
  var fileMode = location.protocol === "file:";
  function load(name, bust) {
    if (settled[name]) return Promise.resolve(settled[name]);
    if (pending[name] && !bust) return pending[name].promise;
    var p = {};
    p.promise = new Promise(function (resolve, reject) {
      p.resolve = resolve;
      var s = null;
      if (name === "meta" && !bust) {
        // The request site.js made, if it has not ended: one that has
        // ended either called back already (see settled) or failed.
        if (!early.ended) s = early.meta || null;
        early.meta = null;
      }
      if (!s) {
        s = document.createElement("script");
        s.src = base + "search/" + name + ".js" + (bust ? "?" + Date.now() : "");
        s.setAttribute("data-name", name);
        s.async = true;
      }
      s.onerror = function () { delete pending[name]; reject(new Error("could not load " + s.src)); };
      s.onload = function () { s.remove(); if (!(name in settled)) { delete pending[name]; reject(new Error(s.src + " did not register")); } };
      if (!s.parentNode) document.head.appendChild(s);
    });
    pending[name] = p;
    return p.promise;
  }
  var enginePromise = null;
  function engine(fresh) {
    if (!enginePromise || fresh) {
      if (fresh) delete settled.meta;
      enginePromise = load("meta", fresh).then(function (m) { return new Engine(load, m); });
    }
    return enginePromise;
  }
  // A host may still serve an old meta.js after a new build replaced the
  // files it names: on a failed load, read meta.js again once.
  async function run(q, k, prefix, f) {
    try {
      return await (await engine()).search(q, k, prefix, f);
    } catch (e) {
      return await (await engine(true)).search(q, k, prefix, f);
    }
  }

  // ---- Showing results.
  function pageURL(h) {
    return base + "roles/" + h.slug + "/" + (fileMode ? "index.html" : "") + (h.anchor ? "#" + h.anchor : "");
  }
  // highlight writes text into el, marking the words a query matched, and
  // returns how many it marked.
  function highlight(el, text, res) {
    var partial = res.words.length && res.words[res.words.length - 1].partial ? res.words[res.words.length - 1].word : "";
    var parts = text.split(WORD), marked = 0;
    parts.forEach(function (part, i) {
      if (!part) return;
      var w = i % 2 === 1 ? words(part)[0] || "" : "";
      if (w && (res.matched[stem(w)] || (partial && w.lastIndexOf(partial, 0) === 0))) {
        var m = document.createElement("mark");
        m.textContent = part;
        el.appendChild(m);
        marked++;
      } else el.appendChild(document.createTextNode(part));
    });
    return marked;
  }
  // matchedIn says where a result matched when nothing it shows holds a
  // matched word: in the parts of its document that results leave out.
  function matchedIn(h) {
    if (h.label === "Role") return "Matched in the role’s summary or introduction";
    if (h.label === "FAQ") return "Matched further into the answer";
    return "Matched in its look-for notes, red flags, follow-ups or tags";
  }
  // snippet picks the part of a note around its first matched word.
  function snippet(note, res, len) {
    var ws = note.split(/\s+/), at = -1;
    for (var i = 0; i < ws.length && at < 0; i++) {
      var w = words(ws[i])[0];
      if (w && res.matched[stem(w)]) at = i;
    }
    if (at < 0) return "";
    var start = Math.max(0, at - 6), out = ws.slice(start).join(" ");
    if (out.length > len) out = out.slice(0, len).replace(/\s+\S*$/, "") + "…";
    return (start > 0 ? "…" : "") + out;
  }
  function resultBody(h, res, tag) {
    var frag = document.createDocumentFragment();
    var t = document.createElement(tag || "span");
    t.className = "sr-text";
    var shown = highlight(t, h.text, res);
    frag.appendChild(t);
    var meta = document.createElement("span");
    meta.className = "sr-meta";
    shown += highlight(meta, h.label === "Role" ? "Role · " + deptName(h.dept) : h.roleTitle + " · " + h.label, res);
    frag.appendChild(meta);
    var sn = snippet(h.note, res, 150);
    var s = document.createElement("span");
    s.className = "sr-snippet";
    if (sn) shown += highlight(s, sn, res);
    if (!shown) {
      // Nothing shown says why the result is here: say where it matched.
      s.className += " sr-why";
      s.textContent = matchedIn(h);
    }
    if (s.firstChild) frag.appendChild(s);
    return frag;
  }
  var metaCache = null;
  function deptName(i) { return metaCache && metaCache.d[i] ? metaCache.d[i][0] : ""; }
  // countText is the count for the live region; read is readings(res).
  function countText(res, q, read) {
    if (!res.hits.length) return "No results for “" + q + "”";
    var n = Math.max(res.count, res.hits.length);
    return (res.exact ? n : n + "+") + (n === 1 ? " result" : " results") + " for “" + q + "”" +
      (read ? ", read as " + read : "");
  }
  // readings says what the query's mistyped words were read as
  // ("“isolation” and “PostgreSQL”"), or "" if none was.
  function readings(res) {
    var out = [];
    res.corrected.forEach(function (ts) {
      var r = reading(ts, res.hits);
      if (r && out.indexOf(r) < 0) out.push(r);
    });
    return out.map(function (r) { return "“" + r + "”"; }).join(" and ");
  }
  // reading returns a mistyped word's closest term that the results show,
  // as their text spells it ("PostgreSQL" for the term "postgresql",
  // "Kubernetes" for "kubernet"): ts are its typo terms, closest first.
  // null if the results' text shows none of them (they matched a tag, say).
  var WORD = /([\p{L}\p{Nd}'’\p{Mn}]+)/u;
  function reading(ts, hits) {
    for (var t of ts) {
      for (var h of hits) {
        var parts = (h.text + " " + h.note).split(WORD);
        for (var i = 1; i < parts.length; i += 2) {
          var p = parts[i].replace(/['’]s$/i, ""), w = words(p)[0];
          if (w && stem(w) === t) return p;
        }
      }
    }
    return null;
  }
  function filterOf(catSel, deptSel) {
    var f = {};
    if (catSel && catSel.value !== "") f.kinds = [Number(catSel.value)];
    if (deptSel && deptSel.value !== "") f.dept = Number(deptSel.value);
    return f;
  }
  function emptyState(el, q, filtered, reset) {
    el.textContent = "";
    if (q === null) return;
    var p = document.createElement("p");
    p.textContent = "No results for “" + q + "”" + (filtered ? " with these filters. " : ". ");
    if (filtered) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "Search everything";
      b.addEventListener("click", reset);
      p.appendChild(b);
    } else if (words(q).every(function (w) { return STOP[w]; })) {
      // Common words are not in the index: say so, not "try fewer words".
      p.appendChild(document.createTextNode("Words as common as these are not searched for on their own: add a skill such as “caching” or a situation such as “incident”."));
    } else {
      p.appendChild(document.createTextNode("Try fewer or broader words (a skill such as “caching”, a situation such as “incident”), or browse the question categories."));
    }
    el.appendChild(p);
  }
  // debounce runs fn at once for an event that comes after ms of quiet (a
  // key typed at a human pace, a paste), and otherwise once the events have
  // stopped for ms, so that a burst of them runs fn once, for the last.
  function debounce(fn, ms) {
    var t, last = -Infinity;
    return function () {
      var now = performance.now(), quiet = now - last >= ms;
      last = now;
      clearTimeout(t);
      if (quiet) fn(); else t = setTimeout(fn, ms);
    };
  }

  // ---- The combobox in the header of every page.
  function setupBox(form) {
    var input = form.querySelector("[role=combobox]");
    var panel = form.querySelector(".search-panel");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector("[role=status]");
    var note = form.querySelector(".search-note"); // what typos were read as; a layout may leave it out
    var catSel = form.querySelector(".search-cat"), deptSel = form.querySelector(".search-dept");
    var all = form.querySelector(".search-all");
    var hits = [], active = -1, seq = 0;

    function open(on) {
      panel.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (!on) setActive(-1);
    }
    function setActive(i) {
      var opts = list.querySelectorAll("[role=option]");
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && opts[i]) {
        opts[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function go(i) {
      if (hits[i]) location.href = pageURL(hits[i]);
    }
    var empty = form.querySelector(".sr-empty");
    var update = async function () {
      var q = input.value, mine = ++seq;
      // The results page, with the same query and filters.
      all.href = base + "search/" + (fileMode ? "index.html" : "") + "?q=" + encodeURIComponent(q.trim()) +
        (catSel.value ? "&category=" + encodeURIComponent(catSel.value) : "") +
        (deptSel.value ? "&department=" + encodeURIComponent(deptSel.value) : "");
      if (!q.trim()) { open(false); status.textContent = ""; return; }
      var f = filterOf(catSel, deptSel), res;
      try {
        res = await run(q, 6, true, f);
        metaCache = (await engine()).meta;
      } catch (e) {
        if (mine !== seq) return;
        hits = [];
        list.textContent = "";
        empty.textContent = "Search is not available right now. Reload the page to try again.";
        status.textContent = empty.textContent;
        if (note) note.hidden = true;
        open(true);
        return;
      }
      if (mine !== seq) return; // a newer query is on its way
      hits = res.hits;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      emptyState(empty, hits.length ? null : q.trim(), f.kinds || f.dept != null, function () { catSel.value = ""; deptSel.value = ""; update(); input.focus(); });
      hits.forEach(function (h, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = "sr-" + i;
        li.setAttribute("aria-selected", "false");
        li.appendChild(resultBody(h, res));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { go(i); });
        list.appendChild(li);
      });
      var read = readings(res);
      status.textContent = countText(res, q.trim(), read);
      if (note) {
        note.textContent = read ? "Read as " + read : "";
        note.hidden = !read;
      }
      open(true);
    };
    var later = debounce(update, 20);
    input.addEventListener("input", later);
    catSel.addEventListener("change", update);
    deptSel.addEventListener("change", update);
    input.addEventListener("keydown", function (e) {
      var n = hits.length;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (panel.hidden) { update(); return; }
        if (n) setActive((active + 1) % n);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (n) setActive(active <= 0 ? n - 1 : active - 1);
      } else if (e.key === "Escape") {
        if (!panel.hidden) { e.preventDefault(); open(false); }
        else if (input.value) { e.preventDefault(); input.value = ""; }
      }
    });
    // Enter submits the form: open the chosen result, or else the results
    // page (with index.html spelled out when opened from disk).
    form.addEventListener("submit", function (e) {
      if (active >= 0) { e.preventDefault(); go(active); }
      else if (fileMode) { e.preventDefault(); location.href = all.href; }
    });
    form.addEventListener("focusout", function (e) {
      if (!form.contains(e.relatedTarget)) open(false);
    });
    input.addEventListener("focus", function () { if (input.value.trim() && list.childNodes.length) open(true); });
    if (input.value.trim()) update();
  }

  // ---- The full results page, search/?q=...
  function setupPage(page) {
    var input = page.querySelector("input[type=search]");
    var catSel = page.querySelector(".search-cat"), deptSel = page.querySelector(".search-dept");
    var list = page.querySelector(".search-results"), status = page.querySelector("[role=status]");
    var more = page.querySelector(".search-more"), empty = page.querySelector(".sr-empty");
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (params.get("category")) catSel.value = params.get("category");
    if (params.get("department")) deptSel.value = params.get("department");
    var k = 20, seq = 0, title = document.title;
    async function update() {
      var q = input.value.trim(), mine = ++seq;
      document.title = q ? "“" + q + "” · " + title : title;
      var p = new URLSearchParams();
      if (q) p.set("q", q);
      if (catSel.value) p.set("category", catSel.value);
      if (deptSel.value) p.set("department", deptSel.value);
      history.replaceState(null, "", "?" + p.toString());
      if (!q) { list.textContent = ""; status.textContent = ""; more.hidden = true; return; }
      var f = filterOf(catSel, deptSel), res;
      try {
        // The last word may be the start of one, as in the box in the
        // header: the page shows at least what the box did.
        res = await run(q, k, true, f);
        metaCache = (await engine()).meta;
      } catch (e) {
        if (mine !== seq) return;
        list.textContent = "";
        status.textContent = "Search is not available right now. Reload the page to try again.";
        return;
      }
      if (mine !== seq) return;
      list.textContent = "";
      emptyState(empty, res.hits.length ? null : q, f.kinds || f.dept != null, function () { catSel.value = ""; deptSel.value = ""; update(); });
      res.hits.forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = pageURL(h);
        a.appendChild(resultBody(h, res));
        li.appendChild(a);
        list.appendChild(li);
      });
      status.textContent = countText(res, q, readings(res));
      more.hidden = res.hits.length < k || (res.exact && res.count <= k);
    }
    var later = debounce(function () { k = 20; update(); }, 120);
    input.addEventListener("input", later);
    catSel.addEventListener("change", function () { k = 20; update(); });
    deptSel.addEventListener("change", function () { k = 20; update(); });
    page.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); k = 20; update(); });
    // The next results come under the button; the first of them takes the
    // focus, which the button, now below them, would keep.
    more.addEventListener("click", async function () {
      var n = list.children.length;
      k += 20;
      await update();
      var a = list.children[n] && list.children[n].querySelector("a");
      if (a) a.focus();
    });
    update();
  }

  document.querySelectorAll("form.search").forEach(setupBox);
  // This script loads when the visitor reaches for the search box: fetch
  // the index's table of contents while they type, not after. A failure
  // here is retried by the first query (see run).
  engine().catch(function () {});
  var page = document.querySelector("[data-search-page]");
  if (page) setupPage(page);
})(typeof window !== "undefined" ? window : globalThis);

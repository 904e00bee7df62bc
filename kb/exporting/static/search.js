// Offline search of the exported help pages: the index is window.KB_SEARCH_INDEX (search-index.js, loaded with the
// page); every word of the query must match a word of the title, tags or text (by prefix, accents ignored).
(function () {
  "use strict";
  var index = window.KB_SEARCH_INDEX || [];
  function fold(text) {
    return String(text || "").toLowerCase().replace(/ł/g, "l").normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function words(text) { return fold(text).split(/[^a-z0-9]+/).filter(Boolean); }
  var prepared = index.map(function (doc) {
    return { doc: doc, title: words(doc.title), tags: words((doc.tags || []).join(" ")), text: words(doc.text) };
  });
  function hits(list, term) {
    var n = 0;
    for (var i = 0; i < list.length; i++) { if (list[i].indexOf(term) === 0) n++; }
    return n;
  }
  function score(entry, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var s = 5 * hits(entry.title, terms[i]) + 3 * hits(entry.tags, terms[i]) + Math.min(hits(entry.text, terms[i]), 5);
      if (!s) return 0;
      total += s;
    }
    return total;
  }
  function snippet(text, terms) {
    var folded = fold(text), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = folded.indexOf(terms[i]);
    var start = Math.max(0, at - 60);
    return (start ? "…" : "") + text.slice(start, start + 200) + (text.length > start + 200 ? "…" : "");
  }
  function render(query) {
    var terms = words(query), list = document.getElementById("search-results"), status = document.getElementById("search-status");
    list.textContent = "";
    if (!terms.length) { status.textContent = "Type what you are looking for."; return; }
    var found = prepared.map(function (e) { return { entry: e, score: score(e, terms) }; })
      .filter(function (r) { return r.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.entry.doc.title.localeCompare(b.entry.doc.title); });
    status.textContent = found.length ? found.length + " result" + (found.length === 1 ? "" : "s") : "Nothing found. Try other words.";
    found.slice(0, 30).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = r.entry.doc.url;
      a.textContent = r.entry.doc.title;
      a.setAttribute("lang", r.entry.doc.lang);
      p.textContent = snippet(r.entry.doc.text, terms);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var box = document.getElementById("q");
  if (box) box.value = query;
  render(query);
})();

// The search console: results while typing, keyboard only, the search state in the URL.
// A newer keystroke always wins: older requests are aborted and a response that is not the latest is dropped.
(function () {
  "use strict";
  var esc = KB.esc, toast = KB.toast, copyText = KB.copyText;
  var API = "/api/v1";
  var DEBOUNCE_MS = 50;
  var FILTERS = ["product", "category", "type", "lang"];
  var input = document.getElementById("q");
  var resultsEl = document.getElementById("results");
  var statusEl = document.getElementById("status");
  var chipsEl = document.getElementById("chips");
  var suggestEl = document.getElementById("suggestions");
  var noAnswer = document.getElementById("no-answer");
  var state = { q: "", filters: {}, hits: [], selected: -1, detected: null, suggestions: [] };
  var seq = 0, shown = 0, timer = null, controller = null, suggestSeq = 0;

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.filters = {};
    FILTERS.forEach(function (name) { if (params.get(name)) state.filters[name] = params.get(name); });
    input.value = state.q;
  }

  function urlFor(q, filters) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    FILTERS.forEach(function (name) { if (filters[name]) params.set(name, filters[name]); });
    var query = params.toString();
    return "/" + (query ? "?" + query : "");
  }

  function writeUrl(push) {
    var url = urlFor(state.q, state.filters);
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function renderChips() {
    var html = "";
    FILTERS.forEach(function (name) {
      if (state.filters[name]) {
        html += '<span class="chip" data-chip="' + name + '">' + esc(name) + ": <strong>" + esc(state.filters[name]) +
          '</strong><button type="button" aria-label="Remove filter ' + esc(name) + '" data-remove="' + name + '">×</button></span>';
      }
    });
    var d = state.detected;
    if (d && (d.products.length || d.families.length) && !state.filters.product) {
      var code = d.products[0] || d.families[0];
      html += '<span class="chip detected" data-chip="detected">Detected: <strong>' + esc(code) + "</strong>" +
        (d.products[0] ? '<button type="button" aria-label="Filter by ' + esc(code) + '" data-pin="' + esc(code) + '">＋</button>' : "") + "</span>";
    }
    chipsEl.innerHTML = html;
  }

  function productsText(hit) {
    return hit.products.map(function (p) { return '<span class="badge product">' + esc(p) + "</span>"; }).join("");
  }

  function explainText(e) {
    if (!e) return "";
    var parts = [];
    if (e.matched_words && e.matched_words.length) parts.push("words: " + e.matched_words.join(", "));
    if (e.lexical_score != null) parts.push("BM25F " + e.lexical_score);
    if (e.semantic_similarity != null) parts.push("meaning " + e.semantic_similarity);
    parts.push("product " + e.product_match);
    if (e.corrected && Object.keys(e.corrected).length) parts.push("spelling " + JSON.stringify(e.corrected));
    if (e.usage) parts.push(e.usage.line); // learned from use: bounded, with the numbers behind it
    return parts.join(" · ");
  }

  function articleUrl(hit) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (hit.section) params.set("section", hit.section);
    return "/articles/" + encodeURIComponent(hit.article_id) + "?" + params.toString() + (hit.section ? "#" + hit.section : "");
  }

  function renderResults(data) {
    state.hits = data.hits;
    state.selected = data.hits.length ? 0 : -1;
    state.detected = { products: data.analysis.products || [], families: data.analysis.families || [] };
    resultsEl.innerHTML = data.hits.map(function (hit, i) {
      return '<li class="result" id="r' + i + '" data-article="' + esc(hit.article_id) + '" aria-selected="' + (i === 0) + '">' +
        '<h3><a href="' + esc(articleUrl(hit)) + '">' + esc(hit.title) + "</a></h3>" +
        '<div><span class="badge type-' + esc(hit.type) + '">' + esc(hit.type) + "</span>" + productsText(hit) +
        (hit.lang !== "en" ? '<span class="badge">' + esc(hit.lang) + "</span>" : "") +
        '<span class="section">' + (hit.heading ? "§ " + esc(hit.heading) : "") + "</span></div>" +
        '<p class="snippet">' + hit.snippet + "</p>" +  // the server escapes the text and adds only <mark>
        '<button type="button" class="why" data-why="' + i + '" aria-expanded="false">Why this result?</button>' +
        '<p class="explain" hidden>' + esc(explainText(hit.explanation)) + "</p></li>";
    }).join("");
    var corrected = data.analysis.corrected && Object.keys(data.analysis.corrected).length ?
      " · searched for: " + Object.keys(data.analysis.corrected).map(function (k) { return data.analysis.corrected[k]; }).join(" ") : "";
    statusEl.textContent = data.hits.length ? data.hits.length + " results in " + Math.round(data.took_ms) + " ms" + corrected : "";
    noAnswer.hidden = !(data.no_good_answer);
    if (data.no_good_answer) {
      var p = data.escalation;
      document.getElementById("no-answer-path").innerHTML = p ? "<strong>" + esc(p.name) + "</strong> (" + esc(p.team) +
        ", answer within " + esc(p.sla_hours) + " h). Collect: " + esc(p.collect.join("; ")) + "." : "Ask your team leader.";
    }
    renderChips();
    // paint marker for the keystroke-to-paint benchmark
    var mySeq = data._seq;
    requestAnimationFrame(function () { window.__kbPainted = { seq: mySeq, q: data.query, t: performance.now() }; });
  }

  function clearResults() {
    resultsEl.innerHTML = "";
    state.hits = [];
    state.selected = -1;
    statusEl.textContent = "";
    noAnswer.hidden = true;
    state.detected = null;
    renderChips();
  }

  function search(push) {
    var q = input.value.trim();
    state.q = q;
    writeUrl(push);
    if (controller) controller.abort();
    var mine = ++seq;
    if (!q) { shown = mine; clearResults(); return; }
    controller = new AbortController();
    var params = new URLSearchParams({ q: q, explain: "1", limit: "10" });
    FILTERS.forEach(function (name) { if (state.filters[name]) params.set(name, state.filters[name]); });
    fetch(API + "/search?" + params.toString(), { signal: controller.signal })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (mine !== seq || mine < shown) return;  // a newer keystroke was sent: never show older results
        shown = mine;
        if (!res.ok) { clearResults(); statusEl.textContent = res.body.message; return; }
        res.body._seq = mine;
        renderResults(res.body);
      })
      .catch(function (err) { if (err.name !== "AbortError") statusEl.textContent = "Search is not reachable."; });
  }

  function suggest() {
    var q = input.value.trim();
    var mine = ++suggestSeq;
    if (q.length < 2) { hideSuggestions(); return; }
    fetch(API + "/autocomplete?" + new URLSearchParams({ q: q, limit: "6" }))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== suggestSeq || document.activeElement !== input) return;
        state.suggestions = data.suggestions || [];
        if (!state.suggestions.length) { hideSuggestions(); return; }
        suggestEl.innerHTML = state.suggestions.map(function (s, i) {
          return '<li role="option" id="s' + i + '" data-suggest="' + i + '" aria-selected="' + (i === 0) + '"><span class="kind">' +
            (s.kind === "product" ? "model" : esc(s.type)) + "</span><span>" + esc(s.text) + "</span></li>";
        }).join("") + '<li class="muted" aria-disabled="true"><span class="kind"></span><span><kbd>Tab</kbd> to accept the first</span></li>';
        suggestEl.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }).catch(function () { hideSuggestions(); });
  }

  function hideSuggestions() {
    suggestEl.hidden = true;
    state.suggestions = [];
    input.setAttribute("aria-expanded", "false");
  }

  function acceptSuggestion(i) {
    var s = state.suggestions[i];
    if (!s) return false;
    hideSuggestions();
    if (s.kind === "product") {
      state.filters.product = s.code;
      input.value = input.value.replace(/\S+$/, "").trim();
      search(true);
    } else {
      location.href = "/articles/" + encodeURIComponent(s.id) + (state.q ? "?q=" + encodeURIComponent(state.q) : "");
    }
    return true;
  }

  function select(i) {
    if (!state.hits.length) return;
    state.selected = Math.max(0, Math.min(state.hits.length - 1, i));
    Array.prototype.forEach.call(resultsEl.children, function (li, j) { li.setAttribute("aria-selected", String(j === state.selected)); });
    var el = document.getElementById("r" + state.selected);
    if (el) el.scrollIntoView({ block: "nearest" });
  }

  function copySelectedAnswer() {
    var hit = state.hits[state.selected];
    if (!hit) return;
    fetch(API + "/articles/" + encodeURIComponent(hit.article_id))
      .then(function (r) { return r.json(); })
      .then(function (article) {
        var text = article.answer ? article.answer.text : "";
        return copyText(text).then(function () {
          toast("Answer copied: " + article.title);
          KB.usage(hit.article_id, "copied", { query: state.q });
        });
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { search(false); }, DEBOUNCE_MS);
    suggest();
  });

  input.addEventListener("keydown", function (e) {
    if (e.key === "Tab" && !e.shiftKey && state.suggestions.length && !suggestEl.hidden) {
      e.preventDefault();
      acceptSuggestion(0);
    }
  });

  document.addEventListener("keydown", function (e) {
    var typing = document.activeElement && /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); input.select(); return; }
    if (e.altKey && (e.key === "c" || e.key === "C" || e.code === "KeyC")) { e.preventDefault(); copySelectedAnswer(); return; }
    if (e.key === "ArrowDown" && state.hits.length) { e.preventDefault(); hideSuggestions(); select(state.selected + 1); return; }
    if (e.key === "ArrowUp" && state.hits.length) { e.preventDefault(); select(state.selected - 1); return; }
    if (e.key === "Enter" && (document.activeElement === input || !typing)) {
      e.preventDefault();
      clearTimeout(timer);
      var hit = state.hits[state.selected];
      if (hit && input.value.trim() === state.q) { writeUrl(true); location.href = articleUrl(hit); } else { search(true); }
      return;
    }
    if (e.key === "Escape") {
      if (!suggestEl.hidden) { hideSuggestions(); return; }
      if (input.value) { input.value = ""; search(true); }
      input.focus();
    }
  });

  resultsEl.addEventListener("click", function (e) {
    var why = e.target.closest("[data-why]");
    if (!why) return;
    var p = why.nextElementSibling;
    p.hidden = !p.hidden;
    why.setAttribute("aria-expanded", String(!p.hidden));
  });

  suggestEl.addEventListener("mousedown", function (e) {
    var li = e.target.closest("[data-suggest]");
    if (li) { e.preventDefault(); acceptSuggestion(Number(li.getAttribute("data-suggest"))); }
  });

  chipsEl.addEventListener("click", function (e) {
    var remove = e.target.closest("[data-remove]"), pin = e.target.closest("[data-pin]");
    if (remove) { delete state.filters[remove.getAttribute("data-remove")]; search(true); input.focus(); }
    if (pin) { state.filters.product = pin.getAttribute("data-pin"); search(true); input.focus(); }
  });

  document.querySelectorAll("[data-filter-select]").forEach(function (sel) {
    sel.addEventListener("change", function () {
      var name = sel.getAttribute("data-filter-select");
      if (sel.value) state.filters[name] = sel.value; else delete state.filters[name];
      search(true);
    });
  });
  document.querySelectorAll("[data-filter-input]").forEach(function (box) {
    box.addEventListener("keydown", function (e) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      e.stopPropagation();
      if (box.value.trim()) state.filters[box.getAttribute("data-filter-input")] = box.value.trim();
      box.value = "";
      search(true);
      input.focus();
    });
  });
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); });
  input.addEventListener("blur", function () { setTimeout(hideSuggestions, 150); });
  window.addEventListener("popstate", function () { readUrl(); search(false); });

  readUrl();
  input.focus();
  if (state.q || Object.keys(state.filters).length) search(false);
})();

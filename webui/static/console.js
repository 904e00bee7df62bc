// The search console: results while typing, keyboard only, the search state in the URL.
// A newer keystroke always wins: older requests are aborted and a response that is not the latest is dropped.
// Searches while typing are not logged; the search session is logged once, when the consultant stops typing,
// opens a result or leaves the page (so the team lead's content gaps are real questions, not keystrokes).
(function () {
  "use strict";
  var esc = KB.esc, toast = KB.toast, copyText = KB.copyText, t = KB.t;
  var API = "/api/v1";
  var DEBOUNCE_MS = 50;
  var SETTLE_MS = 1500;  // no keystroke for this long: the consultant has stopped typing
  var MAX_SUGGESTIONS = 5;
  var FILTERS = ["product", "category", "type", "lang"];
  var root = document.getElementById("console");
  var HIGH = Number(root.getAttribute("data-high")), LOW = Number(root.getAttribute("data-low"));
  var input = document.getElementById("q");
  var resultsEl = document.getElementById("results");
  var statusEl = document.getElementById("status");
  var chipsEl = document.getElementById("chips");
  var suggestEl = document.getElementById("suggestions");
  var noAnswer = document.getElementById("no-answer");
  var state = { q: "", filters: {}, hits: [], selected: -1, detected: null, suggestions: [], suggested: 0 };
  var seq = 0, shown = 0, timer = null, controller = null, suggestSeq = 0, settleTimer = null, logged = null;

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

  // -- the search session log ------------------------------------------------------------------------------------

  function sessionKey() { return urlFor(state.q, state.filters); }

  function logSession(leaving) {
    clearTimeout(settleTimer);
    if (!state.q || logged === sessionKey()) return;
    logged = sessionKey();
    var body = Object.assign({ q: state.q }, state.filters);
    KB.json("POST", API + "/search/log", body, null, leaving).catch(function () { /* logging never bothers the consultant */ });
  }

  function settleLater() {
    clearTimeout(settleTimer);
    settleTimer = setTimeout(function () { logSession(false); }, SETTLE_MS);
  }

  // -- rendering -------------------------------------------------------------------------------------------------

  function syncFilterMenus() {
    document.querySelectorAll("[data-filter-select]").forEach(function (sel) {
      sel.value = state.filters[sel.getAttribute("data-filter-select")] || "";
    });
  }

  function renderChips() {
    var html = "";
    FILTERS.forEach(function (name) {
      if (state.filters[name]) {
        html += '<span class="chip" data-chip="' + name + '">' + esc(t("filter_" + name)) + ": <strong>" + esc(state.filters[name]) +
          '</strong><button type="button" aria-label="' + esc(t("Remove filter %(name)s", { name: t("filter_" + name) })) +
          '" data-remove="' + name + '">×</button></span>';
      }
    });
    var d = state.detected;
    if (d && (d.products.length || d.families.length) && !state.filters.product) {
      var code = d.products[0] || d.families[0];
      html += '<span class="chip detected" data-chip="detected">' + esc(t("Detected:")) + " <strong>" + esc(code) + "</strong>" +
        (d.products[0] ? '<button type="button" class="pin" aria-label="' + esc(t("Filter by %(code)s", { code: code })) +
          '" data-pin="' + esc(code) + '">+</button>' : "") + "</span>";
    }
    chipsEl.innerHTML = html;
    syncFilterMenus();
  }

  function productsText(hit) {
    return hit.products.map(function (p) { return '<span class="badge product">' + esc(p) + "</span>"; }).join("");
  }

  function level(confidence) {
    if (confidence == null) return null;
    return confidence >= HIGH ? "high" : confidence >= LOW ? "medium" : "weak";
  }

  function confidenceBadge(confidence) {
    var lvl = level(confidence);
    if (!lvl) return "";
    return '<span class="confidence ' + lvl + '" data-level="' + lvl + '" title="' + esc(t("Calibrated confidence")) + '">' +
      esc(t("level_" + lvl)) + " · " + esc(KB.pct(confidence)) + "</span>";
  }

  function explainText(e) {
    if (!e) return "";
    var parts = [];
    if (e.matched_words && e.matched_words.length) parts.push(t("words: %(words)s", { words: e.matched_words.join(", ") }));
    if (e.lexical_score != null) parts.push("BM25F " + KB.num(e.lexical_score, 2));
    if (e.semantic_similarity != null) parts.push(t("meaning %(value)s", { value: KB.num(e.semantic_similarity, 2) }));
    parts.push(t("product %(match)s", { match: e.product_match }));
    if (e.corrected && Object.keys(e.corrected).length) parts.push(t("spelling %(words)s", { words: JSON.stringify(e.corrected) }));
    if (e.usage) parts.push(e.usage.line); // learned from use: bounded, with the numbers behind it
    return parts.join(" · ");
  }

  function articleUrl(hit) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (hit.section) params.set("section", hit.section);
    return "/articles/" + encodeURIComponent(hit.article_id) + "?" + params.toString() + (hit.section ? "#" + hit.section : "");
  }

  // The knowledge base has two languages: a mark is always about the one the shown article is not in (the
  // consultant's language that is missing, or the translation that fell behind its source).
  var OTHER_LANG = { en: "pl", pl: "en" };
  var MARKS = {
    missing: { pl: t("no Polish version"), en: t("no English version") },
    outdated: { pl: t("Polish version out of date"), en: t("English version out of date") }
  };

  function translationMarks(hit) {
    var mark = MARKS[hit.translation], languages = hit.languages || [];
    var html = mark ? '<span class="badge translation" data-translation="' + esc(hit.translation) + '">' +
      esc(mark[OTHER_LANG[hit.lang] || "pl"]) + "</span>" : "";
    if (languages.length > 1) {
      html += '<span class="badge languages" title="' + esc(t("Languages of this article")) + '">' +
        esc(languages.join(" · ").toUpperCase()) + "</span>";
    }
    return html;
  }

  function card(hit, i, selected) {
    var weak = level(hit.confidence) === "weak";
    return '<li class="result' + (weak ? " weak" : "") + '" id="r' + i + '" data-article="' + esc(hit.article_id) +
      '" aria-selected="' + selected + '">' +
      '<h3><a href="' + esc(articleUrl(hit)) + '">' + esc(hit.title) + "</a></h3>" +
      "<div>" + confidenceBadge(hit.confidence) + '<span class="badge type-' + esc(hit.type) + '">' + esc(t("label_" + hit.type)) + "</span>" +
      productsText(hit) + (hit.lang !== "en" ? '<span class="badge">' + esc(hit.lang) + "</span>" : "") + translationMarks(hit) +
      '<span class="section">' + (hit.heading ? "§ " + esc(hit.heading) : "") + "</span></div>" +
      '<p class="snippet">' + hit.snippet + "</p>" +  // the server escapes the text and adds only <mark>
      '<button type="button" class="why" data-why="' + i + '" aria-expanded="false">' + esc(t("Why this result?")) + "</button>" +
      '<p class="explain" hidden>' + esc(explainText(hit.explanation)) + "</p></li>";
  }

  function renderNoAnswer(data) {
    noAnswer.hidden = !data.no_good_answer;
    if (!data.no_good_answer) return;
    var p = data.escalation;
    document.getElementById("no-answer-path").innerHTML = p ? "<p><strong>" + esc(p.name) + "</strong> (" + esc(p.team) + ", " +
      esc(t("answer within %(hours)s h", { hours: KB.num(p.sla_hours) })) + ")</p><p>" + esc(t("Collect:")) + "</p><ul>" +
      p.collect.map(function (c) { return "<li>" + esc(c) + "</li>"; }).join("") + "</ul>" : esc(t("Ask your team leader."));
    var params = new URLSearchParams({ question: state.q });
    if (p) params.set("path", p.id);
    document.getElementById("no-answer-escalate").setAttribute("href", "/escalations/new?" + params.toString());
  }

  function renderResults(data) {
    state.hits = data.hits;
    // nothing fits: the escalation path is what the consultant sees first, and no guess is highlighted
    state.selected = data.hits.length && !data.no_good_answer ? 0 : -1;
    state.detected = { products: data.analysis.products || [], families: data.analysis.families || [] };
    resultsEl.innerHTML = data.hits.map(function (hit, i) { return card(hit, i, i === state.selected); }).join("");
    var corrected = data.analysis.corrected && Object.keys(data.analysis.corrected).length ?
      " · " + t("searched for: %(words)s", { words: Object.keys(data.analysis.corrected).map(function (k) { return data.analysis.corrected[k]; }).join(" ") }) : "";
    statusEl.textContent = data.hits.length ? KB.tn("n_results", data.hits.length) + " · " +
      t("%(ms)s ms", { ms: KB.num(data.took_ms) }) + corrected : "";
    renderNoAnswer(data);
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
    var params = new URLSearchParams({ q: q, explain: "1", limit: "10", log: "0" });
    FILTERS.forEach(function (name) { if (state.filters[name]) params.set(name, state.filters[name]); });
    settleLater();
    fetch(API + "/search?" + params.toString(), { signal: controller.signal })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (mine !== seq || mine < shown) return;  // a newer keystroke was sent: never show older results
        shown = mine;
        if (!res.ok) { clearResults(); statusEl.textContent = res.body.message; return; }
        res.body._seq = mine;
        renderResults(res.body);
      })
      .catch(function (err) { if (err.name !== "AbortError") statusEl.textContent = t("Search is not reachable."); });
  }

  // -- suggestions: ↑ ↓ move through them, Enter or Tab takes the highlighted one, Esc closes them ------------------

  function suggest() {
    var q = input.value.trim();
    var mine = ++suggestSeq;
    if (q.length < 2) { hideSuggestions(); return; }
    fetch(API + "/autocomplete?" + new URLSearchParams({ q: q, limit: String(MAX_SUGGESTIONS) }))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== suggestSeq || document.activeElement !== input) return;
        state.suggestions = data.suggestions || [];
        state.suggested = -1;  // nothing taken until ↑ ↓ choose one: Enter still opens the selected result
        if (!state.suggestions.length) { hideSuggestions(); return; }
        suggestEl.innerHTML = state.suggestions.map(function (s, i) {
          return '<li role="option" id="s' + i + '" data-suggest="' + i + '" aria-selected="false"><span class="kind">' +
            esc(s.kind === "product" ? t("model") : t("label_" + s.type)) + "</span><span>" + esc(s.text) + "</span></li>";
        }).join("") + '<li class="muted hint" aria-disabled="true"><span class="kind"></span><span>' +
          esc(t("↓ choose · Enter take it · Tab take the first · Esc close")) + "</span></li>";
        suggestEl.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }).catch(function () { hideSuggestions(); });
  }

  function suggestionsOpen() { return !suggestEl.hidden && state.suggestions.length > 0; }

  // ↓ from the box enters the list, ↑ from its first entry leaves it again (-1: none chosen)
  function moveSuggestion(step) {
    var n = state.suggestions.length;
    state.suggested = Math.max(-1, Math.min(n - 1, state.suggested + step));
    Array.prototype.forEach.call(suggestEl.querySelectorAll("[data-suggest]"), function (li, j) {
      li.setAttribute("aria-selected", String(j === state.suggested));
    });
    if (state.suggested >= 0) input.setAttribute("aria-activedescendant", "s" + state.suggested);
    else input.removeAttribute("aria-activedescendant");
  }

  function hideSuggestions() {
    suggestEl.hidden = true;
    state.suggestions = [];
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
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
      logSession(true);
      location.href = "/articles/" + encodeURIComponent(s.id) + (state.q ? "?q=" + encodeURIComponent(state.q) : "");
    }
    return true;
  }

  // -- results ----------------------------------------------------------------------------------------------------

  function select(i) {
    if (!state.hits.length) return;
    state.selected = Math.max(0, Math.min(state.hits.length - 1, i));
    Array.prototype.forEach.call(resultsEl.children, function (li, j) { li.setAttribute("aria-selected", String(j === state.selected)); });
    var el = document.getElementById("r" + state.selected);
    if (el) el.scrollIntoView({ block: "nearest" });
  }

  function open(hit) {
    logSession(true);
    KB.usage(hit.article_id, "opened", { query: state.q }, true);
    writeUrl(true);
    location.href = articleUrl(hit);
  }

  function copySelectedAnswer() {
    var hit = state.hits[state.selected];
    if (!hit) return;
    fetch(API + "/articles/" + encodeURIComponent(hit.article_id))
      .then(function (r) { return r.json(); })
      .then(function (article) {
        var text = article.answer ? article.answer.text : "";
        return copyText(text).then(function () {
          toast(t("Answer copied: %(title)s", { title: article.title }));
          logSession(false);
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
    if (!suggestionsOpen()) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      e.stopPropagation();
      moveSuggestion(e.key === "ArrowDown" ? 1 : -1);
    } else if ((e.key === "Tab" && !e.shiftKey) || (e.key === "Enter" && state.suggested >= 0)) {
      e.preventDefault();
      e.stopPropagation();
      acceptSuggestion(Math.max(0, state.suggested));
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      hideSuggestions();
    }
  });

  document.addEventListener("keydown", function (e) {
    var typing = document.activeElement && /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); input.select(); return; }
    if (e.altKey && (e.key === "c" || e.key === "C" || e.code === "KeyC")) { e.preventDefault(); copySelectedAnswer(); return; }
    if (e.key === "ArrowDown" && state.hits.length) { e.preventDefault(); select(state.selected + 1); return; }
    if (e.key === "ArrowUp" && state.hits.length) { e.preventDefault(); select(state.selected - 1); return; }
    if (e.key === "Enter" && (document.activeElement === input || !typing)) {
      e.preventDefault();
      clearTimeout(timer);
      var hit = state.hits[state.selected];
      if (hit && input.value.trim() === state.q) { open(hit); } else { search(true); logSession(false); }
      return;
    }
    if (e.key === "Escape") {
      // never wipes the query: it is selected, so typing replaces it and nothing is lost by accident
      e.preventDefault();
      input.focus();
      input.select();
    }
  });

  resultsEl.addEventListener("click", function (e) {
    var why = e.target.closest("[data-why]");
    if (why) {
      var p = why.nextElementSibling;
      p.hidden = !p.hidden;
      why.setAttribute("aria-expanded", String(!p.hidden));
      return;
    }
    var link = e.target.closest("h3 a");
    if (link) {
      var li = link.closest("[data-article]");
      logSession(true);
      KB.usage(li.getAttribute("data-article"), "opened", { query: state.q }, true);
    }
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
  window.addEventListener("pagehide", function () { logSession(true); });

  readUrl();
  renderChips();
  input.focus();
  if (state.q || Object.keys(state.filters).length) search(false);
})();

// Reply drafts in the assist panel: every sentence from an article section (or the writers' reply templates) with
// its source; copy, edit and "used" are recorded. The assist page announces each result with a "kb:assist" event.
// window.KBDraft.current() gives the draft text and its sources to the code that embeds the panel in a ticket screen.
(function () {
  "use strict";
  var box = document.getElementById("draft");
  if (!box) return;
  var el = function (id) { return document.getElementById(id); };
  var t = KB.t;
  var assist = null, draft = null, edited = false;
  // the service's notice codes in the page's words (its English "notice" is the fallback for a code not known here)
  var NOTICES = {
    missing: function (v) {
      return t("There is no version of this article %(in_lang)s: the draft is %(in_used)s.", v);
    },
    outdated: function (v) {
      return t("The version of this article %(in_lang)s is out of date: the draft is %(in_used)s.", v);
    },
    no_templates: function (v) {
      return t("There are no reply templates %(in_lang)s: the draft is %(in_used)s.", v);
    }
  };

  function inLanguage(code) { return code === "pl" ? t("in Polish") : code === "en" ? t("in English") : code; }

  function noticeText(data) {
    var said = [];
    if (data.mode === "next_steps") {
      said.push(t("No confident answer for this contact: the draft says what happens next instead of answering."));
    }
    if (NOTICES[data.notice_code]) {
      said.push(NOTICES[data.notice_code]({ in_lang: inLanguage(data.notice_lang), in_used: inLanguage(data.lang) }));
    } else if (data.notice) said.push(data.notice);
    return said.join(" ");
  }

  function sourceLabel(s) {
    if (s.type === "article") {
      return '<a href="/articles/' + encodeURIComponent(s.article_id) + "#" + encodeURIComponent(s.section) + '" target="_top">' +
        KB.esc(s.article_id + " · " + s.heading + (s.step ? " " + s.step : "")) + "</a>";
    }
    if (s.escalation) return KB.esc("escalation.yaml: " + s.escalation + " (" + s.sla_hours + " h)") + " · " + KB.esc("replies.yaml: " + s.key);
    return KB.esc("replies.yaml: " + s.key);
  }

  function record(action, text) {
    if (!draft || draft.id == null) return Promise.resolve(null);
    return KB.json("POST", "/api/v1/drafts/" + draft.id + "/events", text == null ? { action: action } : { action: action, text: text });
  }

  function currentText() { return edited ? el("d-text").value : draft ? draft.text : ""; }

  function show(data) {
    draft = data;
    edited = false;
    el("d-sentences").innerHTML = data.segments.map(function (s) {
      return '<li class="seg seg-' + KB.esc(s.kind) + '" data-source="' + KB.esc(s.source.type) + '"><span class="seg-text">' +
        KB.esc(s.text) + '</span> <span class="seg-source">' + sourceLabel(s.source) + "</span></li>";
    }).join("");
    el("d-text").value = data.text;
    el("d-text").hidden = true;
    el("d-sentences").hidden = false;
    var notice = noticeText(data);
    el("d-notice").textContent = notice || "";
    el("d-notice").hidden = !notice;
    el("d-result").hidden = false;
    el("d-status").textContent = KB.tn("n_sentences", data.segments.length) + (data.id == null ? " " + t("(not stored)") : "");
  }

  function make() {
    if (!assist) return;
    var i = Number(el("d-article").value || 0);
    var answer = assist.answers[i];
    var form = document.getElementById("assist-form");
    var body = { channel: form.elements.channel.value, lang: el("d-lang").value,
                 contact_id: assist.contact_id || null, product: el("d-product").value.trim() || null,
                 error_code: el("d-code").value.trim() || null,
                 ticket: (form.elements.subject.value + "\n" + form.elements.body.value).slice(0, 20000) };
    if (answer) { body.article_id = answer.article_id; body.confidence = answer.confidence; }
    if (assist.escalation) body.escalation = assist.escalation.id;
    el("d-status").textContent = t("Drafting…");
    KB.json("POST", "/api/v1/drafts", body).then(function (res) {
      if (!res.ok) { el("d-status").textContent = res.data.message; return; }
      show(res.data);
    });
  }

  document.addEventListener("kb:assist", function (e) {
    assist = e.detail;
    el("d-article").innerHTML = assist.answers.map(function (a, i) {
      return '<option value="' + i + '">' + KB.esc(a.title + " (" + KB.pct(a.confidence) + ")") + "</option>";
    }).join("");
    el("d-lang").value = assist.detected.lang === "pl" ? "pl" : "en";
    el("d-product").value = assist.detected.products[0] || "";
    el("d-code").value = "";
    el("d-result").hidden = true;
    el("d-notice").hidden = true;
    draft = null;
    box.hidden = false;
  });

  el("d-make").addEventListener("click", make);
  el("d-copy").addEventListener("click", function () {
    KB.copyText(currentText()).then(function () { el("d-status").textContent = t("Draft copied"); });
    record("copied");
  });
  el("d-edit").addEventListener("click", function () {
    el("d-sentences").hidden = true;
    el("d-text").hidden = false;
    el("d-text").focus();
  });
  el("d-text").addEventListener("input", function () { edited = true; });
  el("d-text").addEventListener("change", function () { record("edited", el("d-text").value); });
  el("d-used").addEventListener("click", function () {
    record("used").then(function (res) {
      el("d-status").textContent = res && res.ok ? t("Recorded: draft used") : t("Not recorded");
      el("d-used").disabled = true;
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey && !e.shiftKey && e.code === "KeyD" && assist) { e.preventDefault(); make(); }
    else if (e.altKey && e.shiftKey && e.code === "KeyC" && draft) { e.preventDefault(); el("d-copy").click(); }
  });

  // For the code that embeds the panel beside a ticket (the send-to-ticket contract is the integration's).
  window.KBDraft = {
    current: function () {
      if (!draft) return null;
      return { id: draft.id, text: currentText(), edited: edited, mode: draft.mode, lang: draft.lang,
               article_id: draft.article_id, sources: draft.segments.map(function (s) { return Object.assign({ text: s.text }, s.source); }) };
    },
    sent: function () { return record("sent"); }  // the embedding code says it put the draft into the ticket
  };
})();

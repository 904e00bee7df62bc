// The article editor: front matter as a form, Markdown body, live sanitized preview with lint problems and the
// duplicate warning, save with optimistic concurrency (a conflict shows both texts), workflow buttons, history.
// One action is one request and one version: Send to review and Publish save the text with the new status; the
// buttons are disabled while a request runs, so a second click cannot race the first.
(function () {
  "use strict";
  var esc = KB.esc, t = KB.t;
  var root = document.getElementById("editor");
  if (!root) return;
  var csrf = root.getAttribute("data-csrf");
  var api = function (method, url, body) { return KB.json(method, url, body); };
  var state = { id: root.getAttribute("data-id"), version: null, busy: false };
  var $ = function (id) { return document.getElementById(id); };
  var timer = null;

  function list(value) {
    return value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function frontMatter() {
    // JSON strings and arrays are valid YAML flow values, so quoting is always right
    var fields = [["id", $("e-id").value.trim()], ["title", $("e-title").value.trim()], ["type", $("e-type").value],
      ["lang", $("e-lang").value]];
    var audience = Array.prototype.map.call($("e-audience").selectedOptions, function (o) { return o.value; });
    fields.push(["audience", audience.length ? audience : ["consumer"]]);
    var products = list($("e-products").value), tags = list($("e-tags").value);
    var categories = Array.prototype.map.call($("e-categories").selectedOptions, function (o) { return o.value; });
    if (products.length) fields.push(["products", products]);
    if (categories.length) fields.push(["categories", categories]);
    if (tags.length) fields.push(["tags", tags]);
    if ($("e-escalation").value) fields.push(["escalation", $("e-escalation").value]);
    if ($("e-review-by").value) fields.push(["review_by", $("e-review-by").value]);
    if ($("e-learning-order").value) fields.push(["learning_order", Number($("e-learning-order").value)]);
    fields.push(["owner", (state.fields && state.fields.owner) || root.getAttribute("data-user")]);
    // keep the fields the form does not show (channels, reviewed, ...) exactly as they were
    var shown = fields.map(function (f) { return f[0]; }).concat(["status", "products", "categories", "tags", "escalation", "review_by", "learning_order"]);
    Object.keys(state.fields || {}).forEach(function (key) {
      var value = state.fields[key];
      if (shown.indexOf(key) < 0 && value !== null && value !== "" && !(Array.isArray(value) && !value.length)) fields.push([key, value]);
    });
    return "---\n" + fields.map(function (f) { return f[0] + ": " + JSON.stringify(f[1]); }).join("\n") + "\n---\n\n";
  }

  function text() { return frontMatter() + $("e-body").value.replace(/^\s+/, ""); }

  function fill(source) {
    var f = source.fields || { id: state.id };  // a version deleted in git has no text: the form stays empty
    state.fields = f;
    $("e-id").value = f.id; $("e-title").value = f.title || "";
    if (f.type) $("e-type").value = f.type;
    if (f.lang) $("e-lang").value = f.lang;
    var audience = f.audience || ["consumer"];
    Array.prototype.forEach.call($("e-audience").options, function (o) { o.selected = audience.indexOf(o.value) >= 0; });
    $("e-products").value = (f.products || []).join(", ");
    $("e-tags").value = (f.tags || []).join(", ");
    $("e-escalation").value = f.escalation || "";
    $("e-review-by").value = f.review_by || "";
    $("e-learning-order").value = f.learning_order == null ? "" : f.learning_order;
    Array.prototype.forEach.call($("e-categories").options, function (o) { o.selected = (f.categories || []).indexOf(o.value) >= 0; });
    $("e-body").value = source.body || "";
  }

  function showVersion(v, status, live) {
    state.version = v;
    $("e-version").textContent = v ? t("version %(n)s", { n: v }) : t("new");
    $("e-version").setAttribute("data-version", v || "");
    $("e-status").setAttribute("data-status", status || "");
    $("e-status").textContent = (status ? t("label_" + status) : "") +
      (live && live !== status ? " (" + t("live: %(status)s", { status: t("label_" + live) }) + ")" : "");
  }

  function load() {
    if (!state.id) { preview(); return; }
    api("GET", "/api/v1/articles/" + encodeURIComponent(state.id) + "/source").then(function (res) {
      if (!res.ok) { $("e-message").textContent = res.data.message; return; }
      fill(res.data);
      $("e-important").checked = !!res.data.important;  // the writer's tick travels to the reviewer who publishes
      showVersion(res.data.version, res.data.status, res.data.live_status);
      var deleted = res.data.status === "deleted";  // no text: nothing to check or translate until a restore
      if (deleted) $("e-message").textContent = t("Deleted in git. Restore a version from the history to bring the article back.");
      else preview();
      history();
      if (!deleted) translation();
    });
  }

  // A translation opens next to its source, with the source's diff since the translation was made; any article
  // offers "Translate" while its group lacks the other language.
  var OTHER_LANG = { en: "pl", pl: "en" };
  var TRANSLATE = { pl: t("Translate into Polish"), en: t("Translate into English") };

  function translation() {
    api("GET", "/api/v1/articles/" + encodeURIComponent(state.id) + "/translation").then(function (res) {
      if (!res.ok) return;
      var d = res.data, other = OTHER_LANG[d.lang];
      state.translation = d;
      $("e-translate").hidden = !other || d.languages.indexOf(other) >= 0;
      $("e-translate").textContent = TRANSLATE[other] || "";
      $("e-source").hidden = !d.translation_of;
      if (!d.translation_of) return;
      $("e-source-link").textContent = d.source.title;
      $("e-source-link").href = "/write/" + encodeURIComponent(d.source.id);
      $("e-source-meta").textContent = "(" + d.source.lang.toUpperCase() + ", " + t("version %(n)s", { n: d.source.version }) + ")";
      $("e-outdated").hidden = !d.outdated;
      $("e-source-diff").textContent = d.diff === null ? t("The source version this translation was made from is not in the history.")
        : d.diff.join("\n") || t("(no changes)");
      $("e-source-body").textContent = d.source.body;
    });
  }

  // "Mark as reviewed" is a normal save of the form's text with source_hash set to the source's hash now: versioned,
  // conflict-checked, and kept live only as far as the signed-in person may publish
  function reviewedStatus() {
    var status = $("e-status").getAttribute("data-status") || "draft";
    if (status === "published") return $("e-publish") ? "published" : "review";
    return status;
  }

  function preview() {
    api("POST", "/api/v1/preview", { text: text(), id: state.id || null }).then(function (res) {
      if (!res.ok) return;
      $("e-preview").innerHTML = res.data.sections.map(function (s) {
        return (s.heading ? "<h3>" + esc(s.heading) + "</h3>" : "") + s.html;  // sanitized by the server
      }).join("");
      $("e-problems").innerHTML = res.data.problems.length ? res.data.problems.map(function (p) {
        return '<li class="' + esc(p.severity) + '">' + esc(t("line %(n)s", { n: p.line })) + ": " + esc(p.message) + " — " + esc(p.fix) + "</li>";
      }).join("") : '<li class="muted">' + esc(t("None.")) + "</li>";
      $("e-similar").hidden = !res.data.similar.length;
      $("e-similar-list").innerHTML = res.data.similar.map(function (s) {
        return '<li><a href="/articles/' + encodeURIComponent(s.id) + '" target="_blank">' + esc(s.title) + "</a> (" +
          esc(t("%(value)s similar", { value: KB.pct(s.similarity) })) + ")</li>";
      }).join("");
    });
  }

  function history() {
    if (!state.id) return;
    api("GET", "/api/v1/articles/" + encodeURIComponent(state.id) + "/versions").then(function (res) {
      if (!res.ok) return;
      $("e-history").innerHTML = res.data.versions.map(function (v) {
        return "<li>v" + v.version + " · " + esc(t("label_" + v.status)) + " · " + esc(v.author) + " · " +
          esc(new Date(v.created_at + "Z").toLocaleString(KB.lang)) + (v.comment ? " · " + esc(v.comment) : "") +
          ' <button type="button" data-diff="' + v.version + '">' + esc(t("diff")) + "</button>" +
          ' <button type="button" data-restore="' + v.version + '">' + esc(t("restore")) + "</button></li>";
      }).join("");
    });
  }

  function done(res, message) {
    if (res.status === 409) {
      $("e-conflict").hidden = false;
      $("e-conflict-msg").textContent = res.data.message;
      $("e-theirs").textContent = res.data.latest_text;
      $("e-yours").textContent = res.data.your_text;
      state.conflict = res.data;
      $("e-message").textContent = t("Not saved: conflict. Your text is kept below.");
      return;
    }
    if (!res.ok) {
      $("e-message").textContent = res.data.message;
      if (res.data.problems) {
        $("e-problems").innerHTML = res.data.problems.map(function (p) {
          return '<li class="error">' + esc(t("line %(n)s", { n: p.line })) + ": " + esc(p.message) + " — " + esc(p.fix) + "</li>";
        }).join("");
      }
      return;
    }
    $("e-conflict").hidden = true;
    if (!state.id) { state.id = res.data.id; $("e-id").readOnly = true; window.history.replaceState(null, "", "/write/" + state.id); }
    showVersion(res.data.version, res.data.status, null);
    $("e-message").textContent = message + " (" + t("version %(n)s", { n: res.data.version }) +
      (res.data.pending ? ", " + t("the published version stays live until a reviewer publishes this one") : "") + ")";
    load();
  }

  // one request at a time: the buttons are disabled and the form says it is busy until the answer comes
  function busy(on, message) {
    state.busy = on;
    $("e-form").setAttribute("aria-busy", String(on));
    Array.prototype.forEach.call($("e-actions").querySelectorAll("button"), function (b) { b.disabled = on; });
    if (on) $("e-message").textContent = message;
  }

  function run(request, message, doneMessage) {
    if (state.busy) return;
    busy(true, message);
    request().then(function (r) { busy(false); done(r, doneMessage); },
      function () { busy(false); $("e-message").textContent = t("Not saved: the server is not reachable. Your text is still here."); });
  }

  // save the form's text with a status: one request, one version (the server refuses writers' publish)
  function save(status, doneMessage) {
    run(function () {
      var body = { text: text().replace(/\n---\n/, "\nstatus: " + JSON.stringify(status) + "\n---\n"), important: $("e-important").checked };
      if (!state.id) return api("POST", "/api/v1/articles", body);
      body.base_version = state.version;
      return api("PUT", "/api/v1/articles/" + encodeURIComponent(state.id), body);
    }, t("Saving…"), doneMessage);
  }

  $("e-save").addEventListener("click", function () { save("draft", t("Saved")); });
  $("e-submit").addEventListener("click", function () { save("review", t("Sent to review")); });
  if ($("e-publish")) $("e-publish").addEventListener("click", function () { save("published", t("Published")); });
  if ($("e-archive")) $("e-archive").addEventListener("click", function () {
    run(function () {
      return api("DELETE", "/api/v1/articles/" + encodeURIComponent(state.id), { base_version: state.version });
    }, t("Saving…"), t("Archived"));
  });
  $("e-reviewed").addEventListener("click", function () {
    if (!state.translation) return;
    state.fields.source_hash = state.translation.current_hash;
    save(reviewedStatus(), t("Marked as reviewed"));
  });
  $("e-translate").addEventListener("click", function () {  // the linked draft opens in its own editor
    if (state.busy) return;
    busy(true, t("Saving…"));
    api("POST", "/api/v1/articles/" + encodeURIComponent(state.id) + "/translate", {}).then(function (res) {
      busy(false);
      if (res.ok) window.location.assign("/write/" + encodeURIComponent(res.data.id));
      else $("e-message").textContent = res.data.message;
    }, function () { busy(false); $("e-message").textContent = t("Not saved: the server is not reachable. Your text is still here."); });
  });
  $("e-take-theirs").addEventListener("click", function () {
    var mine = $("e-body").value;
    load();
    $("e-message").textContent = t("Their version is loaded; your body text is in the conflict panel to copy back.");
    $("e-yours").textContent = mine;
  });
  $("e-form").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(preview, 250); });
  $("e-products").addEventListener("input", function () {
    var last = list($("e-products").value).pop() || "";
    if (last.length < 2) return;
    fetch("/api/v1/autocomplete?" + new URLSearchParams({ q: last, limit: "8" })).then(function (r) { return r.json(); })
      .then(function (data) {
        $("e-product-options").innerHTML = (data.suggestions || []).filter(function (s) { return s.kind === "product"; })
          .map(function (s) { return '<option value="' + esc(s.code) + '">' + esc(s.text) + "</option>"; }).join("");
      });
  });
  $("e-history").addEventListener("click", function (e) {
    var d = e.target.closest("[data-diff]"), r = e.target.closest("[data-restore]");
    if (d) {
      api("GET", "/api/v1/articles/" + encodeURIComponent(state.id) + "/diff?from=" + d.getAttribute("data-diff") + "&to=" + state.version)
        .then(function (res) { $("e-diff").hidden = false; $("e-diff").textContent = res.ok ? res.data.diff.join("\n") || t("(no changes)") : res.data.message; });
    }
    if (r) {
      run(function () {
        return api("POST", "/api/v1/articles/" + encodeURIComponent(state.id) + "/restore",
          { version: Number(r.getAttribute("data-restore")), base_version: state.version });
      }, t("Saving…"), t("Restored version %(n)s", { n: r.getAttribute("data-restore") }));
    }
  });
  load();
})();

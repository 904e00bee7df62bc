// Helpers shared by the pages: escaping, the toast, the clipboard, JSON requests, the page's language.
window.KB = (function () {
  "use strict";
  // the scripts' strings in the page's language, from the server's message catalogs (embedded as data, not script)
  var catalogMeta = document.querySelector('meta[name="kb-i18n"]');
  var catalog = {};
  try { catalog = JSON.parse(catalogMeta ? catalogMeta.getAttribute("content") : "{}"); } catch (e) { catalog = {}; }
  var lang = catalog._lang || document.documentElement.lang || "en";
  var plural = new Intl.PluralRules(lang);
  function fill(text, vars) {
    return String(text).replace(/%\((\w+)\)[sd]/g, function (m, name) {
      return vars && vars[name] != null ? vars[name] : m;
    });
  }
  // t("key", {name: value}): a translated string; tn("key", n, {...}): the plural form for n (n is shown localized)
  function t(key, vars) { return fill(catalog[key] != null ? catalog[key] : key, vars); }
  function tn(key, n, vars) {
    var forms = catalog[key] || {};
    var text = forms[plural.select(n)] || forms.other || forms.many || key;
    return fill(text, Object.assign({ num: num(n) }, vars || {}));
  }
  function num(x, digits) { return new Intl.NumberFormat(lang, { maximumFractionDigits: digits == null ? 0 : digits }).format(x); }
  function pct(x) { return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(x); }
  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function toast(message) {
    var el = document.getElementById("toast");
    if (!el) return;
    el.textContent = message;
    el.classList.add("show");
    setTimeout(function () { el.classList.remove("show"); }, 1600);
  }
  function copyText(text) {
    window.__kbCopied = text;
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  // every change goes with the session's CSRF token (the API refuses cookie-authenticated changes without it)
  function json(method, url, body, headers, keepalive) {
    var h = Object.assign({ "Content-Type": "application/json", "X-CSRF-Token": csrf }, headers || {});
    return fetch(url, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined, keepalive: !!keepalive })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, ok: r.ok, data: data }; }); });
  }
  // what the consultant did with an article (used, copied, opened): the one place that records it
  function usage(articleId, action, extra, keepalive) {
    return json("POST", "/api/v1/usage", Object.assign({ article_id: articleId, action: action }, extra || {}), null, keepalive);
  }
  return { esc: esc, toast: toast, copyText: copyText, json: json, usage: usage, t: t, tn: tn, num: num, pct: pct,
           lang: lang };
})();

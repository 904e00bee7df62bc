// Helpers shared by the pages: escaping, the toast, the clipboard, JSON requests.
window.KB = (function () {
  "use strict";
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
  function json(method, url, body, headers) {
    var h = Object.assign({ "Content-Type": "application/json", "X-CSRF-Token": csrf }, headers || {});
    return fetch(url, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (data) { return { status: r.status, ok: r.ok, data: data }; }); });
  }
  // what the consultant did with an article (used, copied, opened): the one place that records it
  function usage(articleId, action, extra) {
    return json("POST", "/api/v1/usage", Object.assign({ article_id: articleId, action: action }, extra || {}));
  }
  return { esc: esc, toast: toast, copyText: copyText, json: json, usage: usage };
})();

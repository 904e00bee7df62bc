// Article view: open at the matched section, answer on top, copy answer or link, Esc goes back.
(function () {
  "use strict";
  var toast = KB.toast, copyText = KB.copyText;
  var article = document.getElementById("article");
  if (!article) return;
  var id = article.getAttribute("data-id"), q = article.getAttribute("data-q");

  function copyAnswer() {
    var text = document.getElementById("answer-text");
    if (!text) return;
    copyText(text.value).then(function () { toast("Answer copied"); });
    KB.usage(id, "copied", { query: q || null });
  }

  function copyLink() {
    var link = location.origin + "/articles/" + encodeURIComponent(id);
    copyText(link).then(function () { toast("Link copied"); });
  }

  var copyButton = document.getElementById("copy-answer");
  if (copyButton) copyButton.addEventListener("click", copyAnswer);
  var linkButton = document.getElementById("copy-link");
  if (linkButton) linkButton.addEventListener("click", copyLink);

  document.addEventListener("keydown", function (e) {
    if (e.altKey && e.code === "KeyC") { e.preventDefault(); copyAnswer(); }
    else if (e.altKey && e.code === "KeyL") { e.preventDefault(); copyLink(); }
    else if (e.altKey && e.code === "KeyG" && document.getElementById("guide-me")) { e.preventDefault(); location.href = document.getElementById("guide-me").href; }
    else if (e.key === "Escape") {
      e.preventDefault();
      if (document.referrer && new URL(document.referrer).origin === location.origin && history.length > 1) history.back();
      else location.href = document.getElementById("back-link").getAttribute("href");
    }
  });

  var section = article.getAttribute("data-section");
  var target = section && document.getElementById(section);
  if (target) { target.scrollIntoView({ block: "start" }); }
  var first = document.getElementById("copy-answer");
  if (first) first.focus({ preventScroll: !!target });
})();

// Light or dark theme: the system's choice unless the consultant picked one (remembered in localStorage).
(function () {
  var saved = null;
  try { saved = localStorage.getItem("kb-theme"); } catch (e) { /* storage may be blocked in an iframe */ }
  if (saved) document.documentElement.setAttribute("data-theme", saved);
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    button.addEventListener("click", function () {
      var dark = document.documentElement.getAttribute("data-theme") === "dark" ||
        (!document.documentElement.getAttribute("data-theme") && matchMedia("(prefers-color-scheme: dark)").matches);
      var next = dark ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", next);
      try { localStorage.setItem("kb-theme", next); } catch (e) { /* ignore */ }
    });
  });
})();

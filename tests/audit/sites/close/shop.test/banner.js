/* A banner with a close cross that only closes it (no choice stored, nothing loaded). The
   site sets its advertising cookie on load anyway: a before-consent breach, not the cross's. */
(function () {
  document.cookie = "_fbp=fb.1.123.456; max-age=7776000; path=/; SameSite=Lax";
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) return;
  var banner = document.createElement("div");
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000");
  banner.innerHTML = '<button id="x" aria-label="Fermer" style="float:right">\u2715</button>' +
    "<p>Nous utilisons des cookies publicitaires.</p>" +
    '<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    banner.remove();
  }
  document.getElementById("oui").onclick = function () { choose("oui"); };
  document.getElementById("non").onclick = function () { choose("non"); };
  document.getElementById("x").onclick = function () { banner.remove(); };
})();

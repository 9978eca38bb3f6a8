/* The moved shop's consent banner; acceptance starts the stats tags. */
(function () {
  // Acceptance starts a cookie sync: ads.test sets its cookie and redirects to tracker.test.
  function loadStats() { new Image().src = "https://ads.test:{{HTTPS}}/sync.gif"; }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "oui") loadStats(); return; }
  var banner = document.createElement("div");
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000");
  banner.innerHTML = "<p>Nous utilisons des cookies pour mesurer l'audience.</p>" +
    '<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button>';
  setTimeout(function () { document.body.appendChild(banner); }, 0);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    banner.remove(); if (value === "oui") loadStats();
  }
  banner.querySelector("#oui").onclick = function () { choose("oui"); };
  banner.querySelector("#non").onclick = function () { choose("non"); };
})();

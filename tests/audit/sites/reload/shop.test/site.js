/* A banner that stores the choice, then reloads the page (as some consent plugins do, so
   that the server renders the page for the new choice). Acceptance loads the stats tag. */
(function () {
  function loadStats() { new Image().src = "https://tracker.test:{{HTTPS}}/collect?p=1"; }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "oui") loadStats(); return; }
  var banner = document.createElement("div");
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000");
  banner.innerHTML = "<p>Nous utilisons des cookies pour mesurer l'audience.</p>" +
    '<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    setTimeout(function () { location.reload(); }, 50);
  }
  document.getElementById("oui").onclick = function () { choose("oui"); };
  document.getElementById("non").onclick = function () { choose("non"); };
})();

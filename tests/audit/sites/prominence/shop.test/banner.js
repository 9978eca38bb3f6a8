/* A hand-made banner whose refusal is a small, pale link beside a large, bold accept button. */
(function () {
  function loadTracker() {
    var script = document.createElement("script");
    script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
    document.head.appendChild(script);
  }
  var choice = document.cookie.match(/(?:^|; )consentement=([^;]*)/);
  if (choice) { if (choice[1] === "tout") loadTracker(); return; }
  var banner = document.createElement("div");
  banner.id = "bandeau-cookies";
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#ffffff;padding:1.5em;font:16px sans-serif;box-shadow:0 -2px 8px #0003");
  banner.innerHTML =
    "<p>Nous et nos partenaires utilisons des cookies pour la mesure d’audience et la publicité.</p>" +
    '<button id="tout" style="font:bold 20px sans-serif;padding:16px 48px;background:#0a58ca;color:#ffffff;border:0;border-radius:6px">Tout accepter</button> ' +
    '<a id="rien" href="#" style="font:11px sans-serif;color:#c9c9c9;margin-left:2em">continuer sans accepter</a>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "consentement=" + value + "; max-age=15552000; path=/";
    banner.remove();
    if (value === "tout") loadTracker();
  }
  document.getElementById("tout").onclick = function () { choose("tout"); };
  document.getElementById("rien").onclick = function (event) { event.preventDefault(); choose("rien"); };
})();

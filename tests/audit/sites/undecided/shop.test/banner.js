/* A hand-made banner whose only other control reads two ways ("Accepter ou refuser au cas
   par cas", opening a second layer): no control clearly refuses, so none may be clicked. */
(function () {
  function loadTracker() {
    var script = document.createElement("script");
    script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
    document.head.appendChild(script);
  }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "tout") loadTracker(); return; }
  var banner = document.createElement("div");
  banner.id = "bandeau-cookies";
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;font:16px sans-serif;border-top:2px solid #222");
  banner.innerHTML =
    "<p>Nous utilisons des cookies pour mesurer l’audience de la librairie.</p>" +
    '<button id="tout">Tout accepter</button> ' +
    '<button id="cas">Accepter ou refuser au cas par cas</button>' +
    '<div id="finalites" hidden><label><input type="checkbox" id="audience"> Mesure d’audience</label></div>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    banner.remove();
    if (value === "tout") loadTracker();
  }
  document.getElementById("tout").onclick = function () { choose("tout"); };
  document.getElementById("cas").onclick = function () {
    document.getElementById("finalites").hidden = false;
  };
})();

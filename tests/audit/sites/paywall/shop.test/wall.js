/* A hand-made pay-or-accept wall: accept the cookies, or refuse them and be sent to a paid
   subscription; no free way to refuse. The choice is a first-party cookie. */
(function () {
  function loadTracker() {
    var script = document.createElement("script");
    script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
    document.head.appendChild(script);
  }
  var choice = document.cookie.match(/(?:^|; )mur=([^;]*)/);
  if (choice) { if (choice[1] === "oui") loadTracker(); return; }
  var wall = document.createElement("div");
  wall.id = "mur-cookies";
  wall.setAttribute("style", "position:fixed;inset:0;background:rgba(0,0,0,.7);display:flex;align-items:center;justify-content:center");
  wall.innerHTML =
    '<div style="background:#fff;padding:2em;max-width:34em;font:16px sans-serif">' +
    '<div id="premier">' +
    "<p>Pour lire nos articles gratuitement, acceptez les cookies de nos partenaires publicitaires.</p>" +
    '<button id="oui" style="font:inherit;padding:.7em 1.5em;background:#0a58ca;color:#fff;border:0">Accepter et continuer</button> ' +
    '<button id="non" style="font:inherit;padding:.7em 1.5em;background:#0a58ca;color:#fff;border:0">Refuser</button></div>' +
    '<div id="offre" style="display:none">' +
    "<p>Sans cookies, notre journal vit de ses abonnés : abonnez-vous pour 2,99 € par mois, sans publicité.</p>" +
    '<a id="abo" href="/abonnement.html" style="display:inline-block;padding:.7em 1.5em;background:#0a58ca;color:#fff">Je m’abonne</a> ' +
    '<button id="retour" style="font:inherit;padding:.7em 1.5em">Revenir</button></div></div>';
  document.body.appendChild(wall);
  document.getElementById("oui").onclick = function () {
    document.cookie = "mur=oui; max-age=15552000; path=/";
    wall.remove();
    loadTracker();
  };
  document.getElementById("non").onclick = function () {
    document.getElementById("premier").style.display = "none";
    document.getElementById("offre").style.display = "block";
  };
  document.getElementById("retour").onclick = function () {
    document.getElementById("offre").style.display = "none";
    document.getElementById("premier").style.display = "block";
  };
})();

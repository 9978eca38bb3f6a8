/* The site's consent banner, held back with the tags by the same plugin (a common setup):
   it shows after the visitor's first gesture. Acceptance loads the advertising pixel. */
(function () {
  function loadAds() { new Image().src = "https://ads.test:{{HTTPS}}/pixel.gif"; }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "oui") loadAds(); return; }
  var banner = document.createElement("div");
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000");
  banner.innerHTML = "<p>Nous utilisons des cookies publicitaires.</p>" +
    '<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    banner.remove();
    if (value === "oui") loadAds();
  }
  document.getElementById("oui").onclick = function () { choose("oui"); };
  document.getElementById("non").onclick = function () { choose("non"); };
})();

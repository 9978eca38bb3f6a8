/* A hand-made banner whose two choices are <div>s with a pointer cursor and a listener
   added by script: no button, link, role, tab stop or onclick attribute. As some consent
   managers do, it is not shown to robots (a User-Agent naming a headless browser), nor
   outside Europe (by the time zone). */
(function () {
  if (/headless|bot\b|crawler|spider/i.test(navigator.userAgent)) return;
  // Shown in Europe only: the GDPR's reach, guessed from the browser's time zone.
  if (!/^Europe\//.test(Intl.DateTimeFormat().resolvedOptions().timeZone)) return;
  function loadStats() { new Image().src = "https://tracker.test:{{HTTPS}}/collect?p=1"; }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "oui") loadStats(); return; }
  var banner = document.createElement("div");
  banner.className = "bandeau-cookies";
  banner.innerHTML = "<p>Nous utilisons des cookies pour mesurer l'audience du site.</p>" +
    '<div class="choix" id="non">Continuer sans accepter</div>' +
    '<div class="choix" id="oui">Accepter</div>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    banner.remove();
    if (value === "oui") loadStats();
  }
  document.getElementById("oui").addEventListener("click", function () { choose("oui"); });
  document.getElementById("non").addEventListener("click", function () { choose("non"); });
})();

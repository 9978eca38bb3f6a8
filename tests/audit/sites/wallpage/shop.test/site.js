/* The site sends a visitor without a choice to its consent page on another host, which
   sends the choice back in the address; acceptance loads the stats tag. */
(function () {
  function loadStats() { new Image().src = "https://tracker.test:{{HTTPS}}/collect?p=1"; }
  var given = location.search.match(/[?&]choix=(oui|non)/);
  if (given) {
    document.cookie = "choix=" + given[1] + "; max-age=15552000; path=/";
    history.replaceState(null, "", location.pathname);
  }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (!choice) {
    location.replace("https://consent.test:{{HTTPS}}/?retour=" + encodeURIComponent(location.href));
    return;
  }
  if (choice[1] === "oui") loadStats();
})();

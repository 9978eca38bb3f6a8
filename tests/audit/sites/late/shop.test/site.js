/* The shop's own late script: a first-party id written 2.5 s after load on every page,
   before any choice; on the other pages (the landing page's visit is long enough to see
   anything), two more ids written 3.5 s after load (after the first id and the calm that
   follows it): one at the first tick of a tag's poll (setInterval), one by a tag that a tag
   manager fired from setTimeout(..., 0); and a banner whose acceptance loads the replay
   tag. */
(function () {
  setTimeout(function () {
    document.cookie = "_late_fp=1; max-age=7776000; path=/; SameSite=Lax";
  }, 2500);
  if (location.pathname !== "/") {
    var poll = setInterval(function () {
      document.cookie = "_late_poll=1; max-age=7776000; path=/; SameSite=Lax";
      clearInterval(poll);
    }, 3500);
    setTimeout(function () {  // the tag manager's turn
      setTimeout(function () {
        document.cookie = "_late_tm=1; max-age=7776000; path=/; SameSite=Lax";
      }, 3500);
    }, 0);
  }
  function loadReplay() {
    var script = document.createElement("script");
    script.src = "https://tracker.test:{{HTTPS}}/replay.js";
    document.head.appendChild(script);
  }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "oui") loadReplay(); return; }
  var banner = document.createElement("div");
  banner.setAttribute("style", "position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000");
  banner.innerHTML = "<p>Nous utilisons des cookies pour améliorer le site.</p>" +
    '<button id="non">Tout refuser</button> <button id="oui">Tout accepter</button>';
  document.body.appendChild(banner);
  function choose(value) {
    document.cookie = "choix=" + value + "; max-age=15552000; path=/";
    banner.remove();
    if (value === "oui") loadReplay();
  }
  document.getElementById("oui").onclick = function () { choose("oui"); };
  document.getElementById("non").onclick = function () { choose("non"); };
})();

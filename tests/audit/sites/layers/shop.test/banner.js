/* A banner autoconsent does not know, drawn 800 ms after load inside a shadow root.
   First layer: "Tout accepter", "Personnaliser" and a close cross; refusing needs the
   second layer (untick the ticked purpose, then save). Closing with the cross counts as
   consent here: the dark pattern BN08 names. */
(function () {
  function loadTracker() {
    var script = document.createElement("script");
    script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
    document.head.appendChild(script);
  }
  var choice = document.cookie.match(/(?:^|; )choix=([^;]*)/);
  if (choice) { if (choice[1] === "all") loadTracker(); return; }
  setTimeout(function () {
    var host = document.createElement("div");
    host.id = "banner-host";
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: "open" });
    root.innerHTML =
      '<div id="layer1" style="position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid #000;padding:1em">' +
      '<button id="x" aria-label="Fermer" style="float:right">\u2715</button>' +
      "<p>Nous utilisons des cookies pour mesurer l\u2019audience.</p>" +
      '<button id="ok">Tout accepter</button> <button id="more">Personnaliser</button></div>' +
      '<div id="layer2" style="display:none;position:fixed;top:0;left:0;right:0;background:#fff;padding:1em">' +
      "<p>Vos pr\u00e9f\u00e9rences de cookies</p>" +
      '<label><input type="checkbox" checked disabled> N\u00e9cessaires</label> ' +
      '<label><input type="checkbox" id="audience" checked> Mesure d\u2019audience</label> ' +
      '<button id="save">Enregistrer mes choix</button></div>';
    function done(value) {
      document.cookie = "choix=" + value + "; max-age=15552000; path=/";
      host.remove();
      if (value === "all") loadTracker();
    }
    root.getElementById("ok").onclick = function () { done("all"); };
    root.getElementById("x").onclick = function () { done("all"); };
    root.getElementById("more").onclick = function () {
      root.getElementById("layer1").style.display = "none";
      root.getElementById("layer2").style.display = "block";
    };
    root.getElementById("save").onclick = function () {
      done(root.getElementById("audience").checked ? "all" : "none");
    };
  }, 800);
})();

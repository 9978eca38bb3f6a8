function loadTracker() {
  var script = document.createElement("script");
  script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
  document.head.appendChild(script);
}
window.cookieconsent.initialise({
  type: "opt-in",
  revokable: true,  // after the choice, a tab drawn as a <div class="cc-revoke">
  position: "bottom",
  content: {
    message: "Nous utilisons des cookies pour mesurer l’audience de notre site.",
    allow: "Accepter",
    deny: "Refuser",
    link: "En savoir plus",
    href: "/",
    policy: "Gérer mes cookies",
  },
  onInitialise: function (status) { if (status === "allow") loadTracker(); },
  onStatusChange: function (status) { if (status === "allow") loadTracker(); },
});

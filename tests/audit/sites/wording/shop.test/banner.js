/* cookies-eu-banner (npm) worded as a French newspaper does, its markup in a <template>. */
document.body.insertAdjacentHTML("beforeend", `<template id="cookies-eu-banner-template">
  <div id="cookies-eu-banner">
    En poursuivant votre lecture, vous pouvez accepter les cookies de mesure d’audience de
    notre partenaire, ou les refuser.
    <button id="cookies-eu-reject">Poursuivre sans accepter ›</button>
    <button id="cookies-eu-accept">Accepter et poursuivre ma lecture</button>
  </div>
</template>`);
CookiesEuBanner.createCookiesBanner({
  useLocalStorage: true,  // the choice is kept in localStorage only, never in a cookie
  trackingCookieNames: ["_pa_id"],
  onAccept: function () {
    var script = document.createElement("script");
    script.src = "https://tracker.test:{{HTTPS}}/analytics.js";
    document.head.appendChild(script);
  },
});

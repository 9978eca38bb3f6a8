/* cookies-eu-banner (npm), its markup in a <template>; acceptance grants the Google tag. */
document.body.insertAdjacentHTML("beforeend", `<template id="cookies-eu-banner-template">
  <div id="cookies-eu-banner" style="position:fixed;bottom:0;left:0;right:0;background:#fff;padding:1em;border-top:2px solid #000">
    Nous mesurons l’audience de ce site avec des cookies, si vous l’acceptez.
    <button id="cookies-eu-reject">Tout refuser</button>
    <button id="cookies-eu-accept">Tout accepter</button>
  </div>
</template>`);
CookiesEuBanner.createCookiesBanner({
  onAccept: function () { if (window.consentGranted && !/_ga=/.test(document.cookie)) window.consentGranted(); },
});

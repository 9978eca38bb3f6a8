/* A Google tag in Consent Mode: before consent, and after a refusal, it still sends its
   measurement requests, without cookies, with the consent state in the gcs parameter
   (G100: ad_storage and analytics_storage denied); once granted, G111 and its _ga cookie. */
(function () {
  var granted = /(?:^|; )hasConsent=true/.test(document.cookie);
  if (granted) document.cookie = "_ga=GA1.1.42.1; max-age=34128000; path=/; SameSite=Lax";
  var query = "v=2&tid=G-TEST1&gcs=" + (granted ? "G111" : "G100") + "&npa=" + (granted ? "0" : "1") +
    "&dl=" + encodeURIComponent(location.href);
  navigator.sendBeacon("https://tracker.test:{{HTTPS}}/g/collect?" + query);
  window.consentGranted = function () {
    document.cookie = "_ga=GA1.1.42.1; max-age=34128000; path=/; SameSite=Lax";
    navigator.sendBeacon("https://tracker.test:{{HTTPS}}/g/collect?v=2&tid=G-TEST1&gcs=G111&npa=0");
  };
})();

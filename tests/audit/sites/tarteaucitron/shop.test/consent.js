tarteaucitron.init({
  privacyUrl: "/confidentialite.html", bodyPosition: "top", hashtag: "#tarteaucitron",
  cookieName: "tarteaucitron", orientation: "middle", groupServices: false,
  serviceDefaultState: "wait", showAlertSmall: false, cookieslist: false, closePopup: false,
  showIcon: true, iconPosition: "BottomRight", adblocker: false, DenyAllCta: true,
  AcceptAllCta: true, highPrivacy: true, handleBrowserDNTRequest: false, removeCredit: true,
  moreInfoLink: true, useExternalCss: false, useExternalJs: false, mandatory: true,
  mandatoryCta: false, googleConsentMode: false, partnersList: false
});
tarteaucitron.services.shopstats = {
  key: "shopstats", type: "analytic", name: "Shop Stats", uri: "https://tracker.test/privacy",
  needConsent: true, cookies: ["_pa_id"],
  js: function () { tarteaucitron.addScript("https://tracker.test:{{HTTPS}}/analytics.js"); }
};
tarteaucitron.services.shopads = {
  key: "shopads", type: "ads", name: "Shop Ads", uri: "https://ads.test/privacy",
  needConsent: true, cookies: ["_ads_fp"],
  js: function () { tarteaucitron.addScript("https://ads.test:{{HTTPS}}/ads.js"); }
};
(tarteaucitron.job = tarteaucitron.job || []).push("shopstats", "shopads");

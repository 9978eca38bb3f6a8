CookieConsent.run({
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, ads: {} },
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "We use cookies",
          description: "We measure our audience and show ads with your consent.",
          acceptAllBtn: "Accept all", acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Manage preferences"
        },
        preferencesModal: {
          title: "Cookie preferences", acceptAllBtn: "Accept all", acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save preferences", closeIconLabel: "Close",
          sections: [
            { title: "Necessary", description: "Needed for the shop.", linkedCategory: "necessary" },
            { title: "Analytics", description: "Audience measurement.", linkedCategory: "analytics" },
            { title: "Advertising", description: "Ads.", linkedCategory: "ads" }
          ]
        }
      }
    }
  }
});

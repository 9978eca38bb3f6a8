/* vanilla-cookieconsent 3 (MIT, vendored in vendor/cookieconsent): a real consent manager. */
CookieConsent.run({
  categories: { necessary: { enabled: true, readOnly: true }, analytics: {}, ads: {} },
  language: {
    default: "en",
    translations: {
      en: {
        consentModal: {
          title: "Cookies at the Demo Bakery",
          description: "We would like to measure our audience and show you our partners' offers. You choose.",
          acceptAllBtn: "Accept all", acceptNecessaryBtn: "Reject all",
          showPreferencesBtn: "Manage preferences"
        },
        preferencesModal: {
          title: "Cookie preferences", acceptAllBtn: "Accept all", acceptNecessaryBtn: "Reject all",
          savePreferencesBtn: "Save preferences", closeIconLabel: "Close",
          sections: [
            { title: "Strictly necessary", description: "Remember your choice.", linkedCategory: "necessary" },
            { title: "Audience measurement", description: "Count visits.", linkedCategory: "analytics" },
            { title: "Advertising", description: "Our partners' offers.", linkedCategory: "ads" }
          ]
        }
      }
    }
  }
});

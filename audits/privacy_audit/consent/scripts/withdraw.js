() => {
  const words = new RegExp([
    '(g[ée]rer|gestion|param[èe]tr|pr[ée]f[ée]rences|modifier|personnaliser)' +
      '.{0,25}(cookies?|consentement|traceurs|choix)',
    '(cookies?|consent|privacy)[ -]?(settings|preferences|choices)',
    'manage (cookies|consent|preferences|privacy)', 'change (cookie|consent|privacy)',
    'cookie-?einstellungen', 'datenschutz-?einstellungen', 'einwilligung (ändern|verwalten)',
    'configuraci[óo]n de (las )?cookies', 'preferenze (dei )?cookie', 'gestisci (i )?cookie',
    'cookie-?instellingen', 'cookievoorkeuren',
  ].join('|'), 'i');
  const known = [  // the consent managers' own "change my choice" controls
    'a[href="#tarteaucitron"]', '#tarteaucitronIcon', '#tarteaucitronManager',
    '[data-cc="show-preferencesModal"]', '.ot-sdk-show-settings', '#ot-sdk-btn',
    '[onclick*="Cookiebot.renew"]', 'a[href*="javascript:Didomi"]', '.axeptio_widget',
    '[data-klaro-trigger]', '.cmplz-manage-consent',
  ].join(', ');
  const found = [];
  const visit = root => {
    for (const el of root.querySelectorAll(known)) found.push(el);
    for (const el of root.querySelectorAll('a, button, [role=button]')) {
      const label = (el.innerText || el.getAttribute('aria-label') || el.title || '').trim();
      if (label.length <= 80 && words.test(label)) found.push(el);
    }
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(document);
  return found.some(el => el.isConnected && getComputedStyle(el).display !== 'none');
}

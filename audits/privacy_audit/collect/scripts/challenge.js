() => {
  // The page of a bot-protection service standing in for the site's: the name of the
  // service, or null. Only the markers of its challenge or block page count: its scripts on
  // the site's own pages (Cloudflare's bot detection, a Turnstile or captcha widget in a
  // form) do not.
  const has = selector => Boolean(document.querySelector(selector));
  const title = (document.title || '').trim();
  // Block pages are small: the text of a large page (the site's own) is never read, so that
  // this look costs next to nothing on every page.
  const small = document.body && document.getElementsByTagName('*').length < 300;
  const text = small ? (document.body.textContent || '').slice(0, 3000) : '';
  if (has('#challenge-form, #challenge-running, #challenge-stage, #challenge-error-text')
      || /^(just a moment\.*|attention required! \| cloudflare)$/i.test(title)) return 'Cloudflare';
  if (has('iframe[src*="captcha-delivery.com"], script[src*="ct.captcha-delivery.com"]'))
    return 'DataDome';
  if (has('#px-captcha') || /^access to this page has been denied/i.test(title))
    return 'HUMAN (PerimeterX)';
  if (has('iframe[src*="_Incapsula_Resource"]') || /incapsula incident id/i.test(text))
    return 'Imperva';
  if (/sucuri website firewall/i.test(title)) return 'Sucuri';
  if (/^access denied$/i.test(title) && /reference #\s?\d/i.test(text)) return 'Akamai';
  return null;
}

async () => {
  // The site's sitemap as text, from the page's own origin: /sitemap.xml, else WordPress's
  // /wp-sitemap.xml, else the first one robots.txt names. A sitemap index (WordPress, Yoast)
  // lists other sitemaps: the first three of this origin follow it.
  const MAX = 5000000;
  const get = async path => {
    try {
      const r = await fetch(path, {credentials: 'omit', redirect: 'follow'});
      const type = r.headers.get('content-type') || '';
      if (r.ok && !type.includes('html')) return (await r.text()).slice(0, MAX);
      // A body left unread keeps the request open in Chromium: the tab would not look
      // quiet, and the visit would wait its longest for the audit's own request.
      await r.body?.cancel();
      return '';
    } catch (e) { return ''; }
  };
  let text = await get('/sitemap.xml') || await get('/wp-sitemap.xml');
  if (!text) {
    const named = (await get('/robots.txt')).match(/^\s*sitemap:\s*(\S+)/im);
    if (named) {
      try {
        const url = new URL(named[1], location.href);
        if (url.origin === location.origin) text = await get(url.pathname + url.search);
      } catch (e) {}
    }
  }
  if (/<sitemapindex[\s>]/i.test(text)) {
    const children = [...text.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map(m => m[1])
      .map(loc => { try { return new URL(loc, location.href); } catch (e) { return null; } })
      .filter(url => url && url.origin === location.origin).slice(0, 3);
    for (const url of children) text += '\n' + await get(url.pathname + url.search);
  }
  return text.slice(0, MAX);
}

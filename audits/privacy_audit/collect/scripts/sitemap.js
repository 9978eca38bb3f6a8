async () => {
  try {
    const r = await fetch('/sitemap.xml', {credentials: 'omit', redirect: 'follow'});
    const type = r.headers.get('content-type') || '';
    return r.ok && !type.includes('html') ? (await r.text()).slice(0, 5000000) : '';
  } catch (e) { return ''; }
}

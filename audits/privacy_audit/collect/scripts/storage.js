async () => {
  const keys = area => { try { return Object.keys(window[area]); } catch (e) { return []; } };
  let indexed = [];
  try {  // the databases' names only (never what they hold)
    indexed = (await indexedDB.databases()).map(db => db.name).filter(Boolean);
  } catch (e) {}
  const local = keys('localStorage'), session = keys('sessionStorage');
  // The keys this document wrote as properties, as the write hook can tell them (null
  // without it): new since it started, not set through setItem, created by no other
  // document. Another tab's write reaches this document as a `storage` event a moment
  // later: when there are such keys, the look is taken again after that moment.
  let own = null;
  try {
    const seen = window[STORAGE_SEEN_KEY];
    const mine = (area, now) => now.filter(k =>
      !seen[area].start.has(k) && !seen[area].elsewhere.has(k) && !seen[area].hooked.has(k));
    const look = () => ({local: mine('local', local), session: mine('session', session)});
    if (seen) {
      own = look();
      if (own.local.length || own.session.length) {
        await new Promise(done => setTimeout(done, EVENT_DELAY_MS));
        own = look();
      }
    }
  } catch (e) {}
  return {origin: location.origin, local, session, indexed, own};
}

async () => {
  const keys = area => { try { return Object.keys(window[area]); } catch (e) { return []; } };
  let indexed = [];
  try {  // the databases' names only (never what they hold)
    indexed = (await indexedDB.databases()).map(db => db.name).filter(Boolean);
  } catch (e) {}
  return {origin: location.origin, local: keys('localStorage'), session: keys('sessionStorage'),
    indexed};
}

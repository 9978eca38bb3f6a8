() => {
  const keys = area => { try { return Object.keys(window[area]); } catch (e) { return []; } };
  return {origin: location.origin, local: keys('localStorage'), session: keys('sessionStorage')};
}

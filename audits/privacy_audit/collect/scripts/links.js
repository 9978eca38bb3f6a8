() => Array.from(document.querySelectorAll('a[href], area[href]'), a => ({
  href: a.href, text: (a.innerText || a.getAttribute('aria-label') || '').trim().slice(0, 200)
}))

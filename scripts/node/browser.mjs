// Opens every HTML document in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core), unfolds its <details>, and checks it the way a
// reader's browser shows it:
//
//   - axe-core finds no WCAG 2.1 A or AA violation;
//   - text in inline SVG charts, which axe does not look at, has a contrast
//     of at least 4.5:1 (3:1 when large) against the chart's white ground;
//   - the page loads nothing from the network and raises no script error;
//   - at 200% zoom (a 1280 px wide window shown at 640 CSS px, device scale
//     factor 2) and at 400% zoom (320 CSS px, WCAG 1.4.10 Reflow) the page
//     does not scroll sideways (a wide table scrolls in its own region; at
//     400% a data table that makes the page scroll is allowed by WCAG and
//     only noted);
//   - printing gives A4 pages.
//
// It keeps, for a person to look at, a full-page screenshot of every page at
// desktop width and at 200% zoom, and the printed PDF.
//
// Usage: node browser.mjs OUTPUT_DIR ARTIFACT_DIR FILE.html...
// Exit status: 0 when every page passes, 1 when one fails, 2 on a tool error.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags this machine's closed network needs: no background connections,
// no component updates, no sync, no QUIC; --no-sandbox because CI runs as root.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// A4 is 595.28 × 841.89 pt; Chromium rounds the page to whole CSS pixels
// (594.96 × 841.92 pt). Within 1.5 pt either way counts as A4.
const A4_PT = [595.28, 841.89];

const [outputDir, artifactDir, ...files] = process.argv.slice(2);
if (!outputDir || !artifactDir || files.length === 0) {
  console.error('usage: node browser.mjs OUTPUT_DIR ARTIFACT_DIR FILE.html...');
  process.exit(2);
}

// Widest the page may be beyond the viewport before it counts as sideways
// scrolling: sub-pixel rounding only.
const SLACK_PX = 1;

async function overflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    // Name the elements that stick out, so a failure says where to look.
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 1 && el.offsetParent !== null) {
        // Report only the outermost element that sticks out.
        if (!culprits.some((c) => c.contains(el))) culprits.push(el);
      }
    }
    const describe = (el) => {
      const label = el.getAttribute('aria-labelledby');
      const name = label && document.getElementById(label.split(/\s+/)[0])?.textContent.trim().slice(0, 60);
      return (
        el.tagName.toLowerCase() +
        (el.id ? `#${el.id}` : '') +
        (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '') +
        (name ? ` "${name}"` : '')
      );
    };
    // Regions that scroll sideways inside the page (a wide table in its
    // scroll container).
    const scrolling = [...document.body.querySelectorAll('*')]
      .filter((el) => {
        const x = getComputedStyle(el).overflowX;
        return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => `${describe(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    return {
      scrolling,
      scrollWidth: doc.scrollWidth,
      width,
      culprits: culprits.slice(0, 5).map(describe),
      // Only data tables stick out (WCAG 1.4.10 lets those scroll).
      onlyTables: culprits.every((el) => el.closest('table') !== null),
    };
  });
}

function pdfPageSizes(buffer) {
  // Chromium writes one /MediaBox per page, uncompressed.
  const text = buffer.toString('latin1');
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
  return boxes.map((m) => [Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])]);
}

// WCAG 2.1 contrast of the fill of every <text> in an inline SVG against
// white, the ground every chart draws first. axe-core skips SVG text.
async function svgTextContrast(page) {
  return page.evaluate(() => {
    const channel = (c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const bad = [];
    for (const t of document.querySelectorAll('svg text')) {
      const cs = getComputedStyle(t);
      const m = cs.fill.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
      if (!m) continue;
      // Blend a translucent fill (fill-opacity, opacity) onto white.
      const alpha = (m[4] === undefined ? 1 : Number(m[4])) * Number(cs.fillOpacity) * Number(cs.opacity);
      const rgb = [m[1], m[2], m[3]].map((c) => Number(c) * alpha + 255 * (1 - alpha));
      const ratio = 1.05 / (luminance(rgb) + 0.05);
      // Sizes in the chart's own units: the size it is drawn at on a
      // desktop screen, before the figure is scaled to the column.
      const size = Number(t.getAttribute('font-size')) || parseFloat(cs.fontSize);
      const bold = Number(cs.fontWeight) >= 700;
      const large = size >= 24 || (bold && size >= 18.66);
      const needed = large ? 3 : 4.5;
      if (ratio + 1e-9 < needed) {
        const chart = t.closest('svg').querySelector('title')?.textContent.trim() || 'a chart';
        bad.push(`"${t.textContent.trim().slice(0, 40)}" in "${chart}": ${cs.fill}, ${ratio.toFixed(2)}:1, needs ${needed}:1`);
      }
    }
    return bad;
  });
}

async function checkPage(browser, file) {
  const problems = [];
  const notes = [];
  const rel = path.relative(outputDir, file);
  const stem = rel.replace(/\.html?$/i, '');
  const shots = path.join(artifactDir, 'screenshots');
  const pdfs = path.join(artifactDir, 'print');
  mkdirSync(path.dirname(path.join(shots, stem)), { recursive: true });
  mkdirSync(path.dirname(path.join(pdfs, stem)), { recursive: true });
  const url = pathToFileURL(path.resolve(file)).href;

  async function open(viewport, deviceScaleFactor) {
    const context = await browser.newContext({ viewport, deviceScaleFactor, locale: 'nl-NL' });
    const page = await context.newPage();
    // A document must stand on its own: nothing from the network.
    await page.route(/^(https?|wss?|ftp):/i, (route) => {
      problems.push(`loads ${route.request().url()} from the network`);
      return route.abort();
    });
    page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    // Unfold every <details> (the data behind the charts), so what a reader
    // can open is checked too. Print hides them by its own stylesheet.
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details')) d.open = true;
    });
    return { context, page };
  }

  // 1. Desktop: axe, screenshot, print.
  {
    const { context, page } = await open({ width: 1280, height: 900 }, 1);
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    for (const v of result.violations) {
      problems.push(`axe ${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}`);
      for (const node of v.nodes.slice(0, 5)) {
        problems.push(`    at ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`);
      }
      if (v.nodes.length > 5) problems.push(`    … and ${v.nodes.length - 5} more`);
    }
    for (const b of await svgTextContrast(page)) problems.push(`SVG text contrast: ${b}`);
    await page.screenshot({ path: path.join(shots, `${stem}.png`), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({
      path: path.join(pdfs, `${stem}.pdf`),
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
    });
    const sizes = pdfPageSizes(pdf);
    if (sizes.length === 0) problems.push('print: the PDF has no pages');
    sizes.forEach(([w, h], i) => {
      if (Math.abs(w - A4_PT[0]) > 1.5 || Math.abs(h - A4_PT[1]) > 1.5) {
        problems.push(`print: page ${i + 1} is ${w.toFixed(1)} × ${h.toFixed(1)} pt, not A4 portrait`);
      }
    });
    await context.close();
    console.log(`  ${rel}: axe ${result.violations.length} violation(s), printed ${sizes.length} A4 page(s)`);
  }

  // 2. 200% zoom: a 1280 × 900 window at 200% is a 640 × 450 CSS viewport
  //    drawn at device scale factor 2.
  {
    const { context, page } = await open({ width: 640, height: 450 }, 2);
    const o = await overflow(page);
    if (o.scrollWidth > o.width + SLACK_PX) {
      problems.push(`200% zoom: the page is ${o.scrollWidth} px wide in a ${o.width} px viewport (${o.culprits.join(', ')})`);
    }
    for (const r of o.scrolling) problems.push(`200% zoom: ${r} scrolls sideways`);
    await page.screenshot({ path: path.join(shots, `${stem}@200.png`), fullPage: true });
    await context.close();
  }

  // 3. 400% zoom: WCAG 1.4.10 Reflow, 320 CSS px wide, no sideways scrolling
  //    of the page (a table may scroll inside its own region).
  {
    const { context, page } = await open({ width: 320, height: 256 }, 1);
    const o = await overflow(page);
    if (o.scrollWidth > o.width + SLACK_PX) {
      const where = `the page is ${o.scrollWidth} px wide (${o.culprits.join(', ')})`;
      if (o.onlyTables) notes.push(`400% zoom (320 px): ${where}; data tables may scroll (WCAG 1.4.10)`);
      else problems.push(`400% zoom (320 px): ${where}`);
    }
    for (const r of o.scrolling) notes.push(`400% zoom (320 px): ${r} scrolls sideways in its own region`);
    await context.close();
  }

  for (const n of notes) console.log(`  note ${rel}: ${n}`);
  return { rel, problems };
}

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
} catch (err) {
  console.error(`cannot start Chromium at ${CHROMIUM}: ${err.message}`);
  process.exit(2);
}

let failed = 0;
try {
  for (const file of files) {
    const { rel, problems } = await checkPage(browser, file);
    if (problems.length > 0) {
      failed += 1;
      console.log(`FAIL ${rel}`);
      for (const p of problems) console.log(`    ${p}`);
    }
  }
} catch (err) {
  console.error(`browser check stopped: ${err.stack || err}`);
  await browser.close();
  process.exit(2);
}
await browser.close();
console.log(`  screenshots and printed PDFs in ${artifactDir}`);
process.exit(failed > 0 ? 1 : 0);

// Converts every Markdown document to HTML with pandoc (GitHub-flavoured
// Markdown, as the documents are written) and checks that nothing was lost
// on the way:
//
//   - every pipe table in the source comes out as an HTML <table>, with as
//     many rows and columns as the source has (a table that pandoc does not
//     recognise, say because of a stray pipe, comes out as a paragraph);
//   - every image and link to a file points at a file that exists beside
//     the document (the charts are separate SVG files).
//
// markdownlint runs separately (scripts/check-documents).
//
// Usage: node markdown.mjs OUTPUT_DIR FILE.md...
// Exit status: 0 when every document passes, 1 when one fails, 2 on a tool error.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [outputDir, ...files] = process.argv.slice(2);
if (!outputDir || files.length === 0) {
  console.error('usage: node markdown.mjs OUTPUT_DIR FILE.md...');
  process.exit(2);
}

// The cells of a table row: split on pipes that are not escaped, without
// the optional outer pipes.
function cells(line) {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/);
}

const DELIMITER_CELL = /^\s*:?-+:?\s*$/;

function isDelimiterRow(line) {
  if (!line.includes('|') && !/^\s*:?-+:?\s*$/.test(line)) return false;
  const c = cells(line);
  return c.length > 0 && c.every((x) => DELIMITER_CELL.test(x));
}

// The pipe tables of a GFM document: for each, its line, row count
// (header and body) and column count. Fenced code blocks are skipped.
function pipeTables(text) {
  const lines = text.split('\n');
  const tables = [];
  let fence = null;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const f = line.match(/^\s{0,3}(`{3,}|~{3,})/);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const next = lines[i + 1];
    if (next === undefined || !line.includes('|') || !isDelimiterRow(next)) continue;
    const columns = cells(next).length;
    if (cells(line).length !== columns) continue; // not a table in GFM
    let rows = 1;
    const wide = [];
    let j = i + 2;
    while (j < lines.length && lines[j].trim() !== '' && lines[j].includes('|')) {
      rows += 1;
      // GFM drops the cells beyond the header's columns.
      if (cells(lines[j]).length > columns) wide.push(j + 1);
      j += 1;
    }
    tables.push({ line: i + 1, rows, columns, wide });
    i = j - 1;
  }
  return tables;
}

// The tables pandoc wrote: rows and the cells of the first row.
function htmlTables(html) {
  return [...html.matchAll(/<table[\s>][\s\S]*?<\/table>/g)].map((m) => {
    const t = m[0];
    const rows = [...t.matchAll(/<tr[\s>]/g)].length;
    const first = t.match(/<tr[\s>][\s\S]*?<\/tr>/);
    const columns = first ? [...first[0].matchAll(/<t[hd][\s>]/g)].length : 0;
    return { rows, columns };
  });
}

function localTargets(html) {
  const targets = [];
  for (const m of html.matchAll(/<(img|a)\s[^>]*?\b(src|href)="([^"]*)"/g)) {
    const url = m[3];
    if (url === '' || url.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
    targets.push(decodeURIComponent(url.split('#')[0].split('?')[0]));
  }
  return targets;
}

let failed = 0;
for (const file of files) {
  const rel = path.relative(outputDir, file);
  const problems = [];
  const text = readFileSync(file, 'utf8');
  let html;
  try {
    html = execFileSync('pandoc', ['--from=gfm', '--to=html5', file], { encoding: 'utf8' });
  } catch (err) {
    console.error(`pandoc failed on ${rel}: ${err.message}`);
    process.exit(2);
  }
  const source = pipeTables(text);
  const out = htmlTables(html);
  if (source.length !== out.length) {
    problems.push(`${source.length} pipe table(s) in the Markdown, ${out.length} <table> element(s) in pandoc's HTML`);
  }
  source.forEach((s, k) => {
    for (const line of s.wide) {
      problems.push(`table at line ${s.line}: row at line ${line} has more cells than the ${s.columns} columns; pandoc drops them`);
    }
    // Row by row only when the tables pair up one to one.
    const o = source.length === out.length ? out[k] : undefined;
    if (o && (o.rows !== s.rows || o.columns !== s.columns)) {
      problems.push(
        `table at line ${s.line}: ${s.rows} rows × ${s.columns} columns in the Markdown, ` +
          `${o.rows} × ${o.columns} in pandoc's HTML`,
      );
    }
  });
  const missing = localTargets(html).filter((t) => !existsSync(path.join(path.dirname(file), t)));
  for (const t of new Set(missing)) problems.push(`links to ${t}, which is not beside it`);

  console.log(`  ${rel}: ${source.length} pipe table(s), ${out.length} <table> in pandoc's HTML, ${localTargets(html).length} local link(s) found`);
  if (problems.length > 0) {
    failed += 1;
    console.log(`FAIL ${rel}`);
    for (const p of problems) console.log(`    ${p}`);
  }
}
process.exit(failed > 0 ? 1 : 0);

// Reads every Word document back with pandoc and checks it against the
// Markdown document beside it (NAME.docx against NAME.md, both from one
// text), as pandoc reads each:
//
//   - the headings, in order, with the title (Word's Title style, which
//     pandoc reads as the document's title) first;
//   - the tables, in order: caption and number of rows (the memo header,
//     a table without a caption in Word and a list in Markdown, is left out);
//   - the figures, in order: the chart each shows (grafiek-1-bandbreedte.svg
//     in Markdown, its PNG fallback media/grafiek-1-bandbreedte.png in Word).
//
// Usage: node docx.mjs OUTPUT_DIR FILE.docx...
// Exit status: 0 when every document passes, 1 when one fails, 2 on a tool error.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const [outputDir, ...files] = process.argv.slice(2);
if (!outputDir || files.length === 0) {
  console.error('usage: node docx.mjs OUTPUT_DIR FILE.docx...');
  process.exit(2);
}

function pandoc(from, file) {
  try {
    return JSON.parse(
      execFileSync('pandoc', [`--from=${from}`, '--to=json', file], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      }),
    );
  } catch (err) {
    console.error(`pandoc failed on ${path.relative(outputDir, file)}: ${err.message}`);
    process.exit(2);
  }
}

// The text of inlines, blanks as single spaces.
function text(inlines) {
  const out = [];
  const walk = (list) => {
    for (const i of list ?? []) {
      switch (i.t) {
        case 'Str':
          out.push(i.c);
          break;
        case 'Space':
        case 'SoftBreak':
        case 'LineBreak':
          out.push(' ');
          break;
        case 'Code':
        case 'Math':
        case 'RawInline':
          out.push(i.c[1]);
          break;
        case 'Link':
        case 'Image':
          walk(i.c[1]);
          break;
        case 'Quoted':
        case 'Cite':
          walk(i.c[1]);
          break;
        case 'Span':
          walk(i.c[1]);
          break;
        case 'Note':
          break;
        default:
          walk(i.c);
      }
    }
  };
  walk(inlines);
  return out.join('').replace(/\s+/g, ' ').trim();
}

function blocksText(blocks) {
  return (blocks ?? [])
    .map((b) => (b.t === 'Para' || b.t === 'Plain' ? text(b.c) : ''))
    .join(' ')
    .trim();
}

// Headings, tables and figures of a pandoc document, in order.
function structure(doc, tableCaption) {
  const s = { headings: [], tables: [], figures: [] };
  let previous = '';
  const images = (inlines) => {
    for (const i of inlines ?? []) {
      if (i.t === 'Image') {
        s.figures.push(path.basename(i.c[2][0]).replace(/\.(svg|png)$/, ''));
      } else if (Array.isArray(i.c)) {
        images(i.c.flat().filter((x) => x && typeof x === 'object' && 't' in x));
      }
    }
  };
  const walk = (blocks) => {
    for (const b of blocks ?? []) {
      switch (b.t) {
        case 'Header':
          s.headings.push(text(b.c[2]));
          break;
        case 'Para':
        case 'Plain':
          images(b.c);
          previous = text(b.c);
          continue;
        case 'Table': {
          const [, caption, , head, bodies] = b.c;
          let rows = head[1].length;
          for (const body of bodies) rows += body[2].length + body[3].length;
          const c = tableCaption(blocksText(caption[1]), previous);
          if (c !== null) s.tables.push(`${c} (${rows} rows)`);
          break;
        }
        case 'BulletList':
        case 'OrderedList':
          for (const item of b.t === 'BulletList' ? b.c : b.c[1]) walk(item);
          break;
        case 'BlockQuote':
          walk(b.c);
          break;
        case 'Div':
          walk(b.c[1]);
          break;
        default:
          break;
      }
      previous = '';
    }
  };
  walk(doc.blocks);
  return s;
}

let failed = 0;
for (const file of files) {
  const rel = path.relative(outputDir, file);
  const md = file.replace(/\.docx$/, '.md');
  const problems = [];
  if (!existsSync(md)) {
    problems.push(`no ${path.basename(md)} beside it to compare with`);
  } else {
    const word = pandoc('docx', file);
    const text_ = pandoc('gfm', md);
    // Word: the caption pandoc takes from the table itself; a table without one
    // is the memo header. Markdown: the paragraph `Tabel: caption` before it.
    const w = structure(word, (caption) => (caption === '' ? null : caption));
    const m = structure(text_, (_, before) => (before.startsWith('Tabel: ') ? before.slice(7) : `(no caption) ${before}`));
    const title = text(word.meta?.title?.c ?? []);
    if (title !== '') w.headings.unshift(title);
    for (const [what, a, b] of [
      ['headings', w.headings, m.headings],
      ['tables', w.tables, m.tables],
      ['figures', w.figures, m.figures],
    ]) {
      const n = Math.max(a.length, b.length);
      for (let k = 0; k < n; k += 1) {
        if (a[k] !== b[k]) {
          problems.push(`${what} #${k + 1}: Word has ${JSON.stringify(a[k])}, Markdown ${JSON.stringify(b[k])}`);
          break;
        }
      }
    }
    console.log(
      `  ${rel}: ${w.headings.length} heading(s), ${w.tables.length} table(s), ${w.figures.length} figure(s)` +
        ` (Markdown: ${m.headings.length}, ${m.tables.length}, ${m.figures.length})`,
    );
  }
  if (problems.length > 0) {
    failed += 1;
    console.log(`FAIL ${rel}`);
    for (const p of problems) console.log(`    ${p}`);
  }
}
process.exit(failed > 0 ? 1 : 0);

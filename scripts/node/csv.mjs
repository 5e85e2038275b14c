// Checks every verdeling.csv (the taakstelling per municipality as data):
//
//   - it parses as RFC 4180 CSV in UTF-8, every record with as many fields
//     as the header;
//   - the header is the expected one (EXPECTED_HEADER below), optionally
//     followed by the optional columns (OPTIONAL) in their order;
//   - one row per municipality: as many rows as the period's CBS population
//     table has municipalities (inputs/bevolking/YYYY-01-01.csv for the year
//     before the period's year: 342 for 2025-I), each gemeentecode once;
//   - inwoners and taakstelling are whole, non-negative numbers, written
//     without thousands separators.
//
// Any other CSV file is checked only to parse, UTF-8, with as many fields in
// every record as in its header.
//
// Usage: node csv.mjs INPUTS_DIR OUTPUT_DIR FILE.csv...
// Exit status: 0 when every file passes, 1 when one fails, 2 on a usage error.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The columns of MISSION.md's per-municipality table (code, name, province,
// inhabitants, taakstelling), named like the CBS population tables in
// inputs/bevolking/. verdeling.csv is written for a Dutch spreadsheet (see the
// README): fields separated by semicolons, UTF-8 with a byte order mark.
const EXPECTED_HEADER = ['gemeentecode', 'gemeentenaam', 'provincie', 'inwoners', 'taakstelling'];
// The columns that follow only when the input makes them differ from the plain
// formula, or when the period has a bijstelling (see the README).
const OPTIONAL = [
  'inwoners_bron', 'formule_uitkomst', 'herverdeling', 'achterstand',
  'gecorrigeerde_taakstelling', 'taakstelling_na_bijstelling', 'verschil_bijstelling',
];
const WHOLE = ['inwoners', 'taakstelling', 'taakstelling_na_bijstelling'];

const [inputsDir, outputDir, ...files] = process.argv.slice(2);
if (!inputsDir || !outputDir) {
  console.error('usage: node csv.mjs INPUTS_DIR OUTPUT_DIR FILE.csv...');
  process.exit(2);
}

// RFC 4180: fields separated by `sep` (a comma unless said otherwise), records
// by CRLF or LF, a field in double quotes may hold separators, newlines and
// doubled quotes.
function parse(text, sep = ',') {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field in record ${records.length + 1}`);
      quoted = true;
    } else if (c === sep) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
    i += 1;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

// Municipalities in the CBS table the period's distribution uses: 1 January
// of the year before the period's year.
function expectedRows(file) {
  const period = path.basename(path.dirname(file));
  const m = period.match(/^(\d{4})-(I|II)$/);
  if (!m) return { error: `cannot tell the period from the folder name "${period}"` };
  const table = path.join(inputsDir, 'bevolking', `${Number(m[1]) - 1}-01-01.csv`);
  if (!existsSync(table)) return { error: `no population table ${table} for period ${period}` };
  const rows = parse(readFileSync(table, 'utf8')).length - 1;
  return { rows, table };
}

let failed = 0;
for (const file of files) {
  const rel = path.relative(outputDir, file);
  const problems = [];
  let records = [];
  const bytes = readFileSync(file);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.push('is not valid UTF-8');
  }
  const verdeling = path.basename(file) === 'verdeling.csv';
  if (verdeling && !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
    problems.push('has no UTF-8 byte order mark (a Dutch spreadsheet then misreads accented names)');
  }
  try {
    records = parse(text.replace(/^\uFEFF/, ''), verdeling ? ';' : ',');
  } catch (err) {
    problems.push(`does not parse as CSV: ${err.message}`);
  }
  if (records.length > 0 && !verdeling) {
    records.forEach((r, k) => {
      if (r.length !== records[0].length) {
        problems.push(`record ${k + 1} has ${r.length} fields, the header ${records[0].length}`);
      }
    });
    console.log(`  ${rel}: ${records.length - 1} records`);
  } else if (records.length > 0) {
    const header = records[0];
    const extra = header.slice(EXPECTED_HEADER.length);
    if (header.slice(0, EXPECTED_HEADER.length).join(',') !== EXPECTED_HEADER.join(',')
      || extra.some((c, i) => !OPTIONAL.includes(c) || OPTIONAL.indexOf(c) <= OPTIONAL.indexOf(extra[i - 1] ?? ''))) {
      problems.push(`header is "${header.join(',')}", expected "${EXPECTED_HEADER.join(',')}" and optional columns of ${OPTIONAL.join(',')} in that order`);
    }
    const rows = records.slice(1);
    const codes = new Set();
    rows.forEach((r, k) => {
      const line = k + 2;
      if (r.length !== header.length) {
        problems.push(`record ${line} has ${r.length} fields, the header ${header.length}`);
        return;
      }
      const get = (name) => r[header.indexOf(name)];
      const code = get('gemeentecode');
      if (code !== undefined) {
        if (!/^GM\d{4}$/.test(code)) problems.push(`record ${line}: gemeentecode "${code}" is not GM and four digits`);
        if (codes.has(code)) problems.push(`record ${line}: gemeentecode ${code} appears twice`);
        codes.add(code);
      }
      for (const name of WHOLE) {
        const v = get(name);
        if (v !== undefined && !/^(0|[1-9]\d*)$/.test(v)) {
          problems.push(`record ${line}: ${name} "${v}" is not a whole number without separators`);
        }
      }
    });
    const expected = expectedRows(file);
    if (expected.error) problems.push(expected.error);
    else if (rows.length !== expected.rows) {
      problems.push(`${rows.length} municipalities, expected ${expected.rows} (as in ${path.relative(process.cwd(), expected.table)})`);
    }
    console.log(`  ${rel}: ${rows.length} municipalities`);
  } else if (problems.length === 0) {
    problems.push('is empty');
  }
  if (problems.length > 0) {
    failed += 1;
    console.log(`FAIL ${rel}`);
    for (const p of problems.slice(0, 20)) console.log(`    ${p}`);
    if (problems.length > 20) console.log(`    … and ${problems.length - 20} more`);
  }
}
process.exit(failed > 0 ? 1 : 0);

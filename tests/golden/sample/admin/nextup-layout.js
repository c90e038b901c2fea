// The layout of a TOML front matter, for nextup-format.js: where each statement, table header,
// comment and blank line of a file is, so that a file can be edited in place and keep its own
// bytes for everything else. What a value means is not this file's business: smol-toml has
// read the file already (so it is valid TOML), and the catalogue (nextup-format.js) says what
// each value is and how it is written. editToml asks it: order, tidy, tableShape, keysInOrder, knows, valueText,
// statementItem, newSpans.

export function childPath(parent, key) {
  return parent ? `${parent}.${key}` : key;
}

export function isTable(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && !(value instanceof Date);
}

export function sameValue(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length
      && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isTable(a) && isTable(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length
      && keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
  }
  return false;
}

// --- editing a file in place ------------------------------------------------------------------
//
// The front matter is read as a list of items, each with its exact text: blank lines,
// comment lines, table headers and `key = value` statements (a statement keeps the text
// before its value, the value, and what follows it on its last line: a comment, the line end).
// It is cut into the top (the fields) and spans, one per table: the comment lines right above
// its header (no blank line between), the header, then everything up to the next span.
// Editing changes values, removes and adds items and spans; the rest is written back as read.
// A removed field's line goes, the comments above it stay (they often speak of several fields);
// a removed table goes with the comment lines right above its header, which are about it.

// A layout the in-place editor does not take apart (dotted keys, [a.b] headers).
export class Unstructured extends Error {}

// The front matter's text (between the +++ lines) with `wanted` written into it. `values`: the
// file's values as read; `had`: the same tidied by the catalogue, to compare with `wanted`.
export function editToml(toml, values, had, wanted, catalogue) {
  const { top, spans } = cutIntoSpans(readItems(toml));
  const topKeys = new Set(top.filter((item) => item.type === 'stmt').map((item) => item.key));
  const spanKeys = new Set(spans.map((span) => span.key));

  // The fields, and the top-level keys that are new and are not tables.
  const newFields = Object.keys(wanted).filter((key) => !topKeys.has(key) && !spanKeys.has(key)
    && !catalogue.tableShape(wanted[key]));
  editRegion(top, had, wanted, '', catalogue, newFields, true);

  // Tables the file has.
  for (const key of spanKeys) {
    const mine = spans.filter((span) => span.key === key);
    if (sameValue(had[key], wanted[key])) continue;
    if (wanted[key] === undefined) {
      for (const span of mine) span.removed = true;
    } else if (!mine[0].array && isTable(wanted[key])) {
      editRegion(mine[0].body, had[key], wanted[key], key, catalogue,
        Object.keys(wanted[key]), false);
    } else if (mine[0].array && Array.isArray(wanted[key]) && wanted[key].every(isTable)) {
      // Each [[name]] span against the table the file had there (as read, so that spans and
      // tables stay side by side even where one was all blank).
      const before = (values[key] ?? []).map((table) => catalogue.tidy(table, `${key}[]`, table) ?? {});
      editTables(spans, mine, before, wanted[key], key, catalogue);
    } else {
      throw new Unstructured(key);
    }
  }

  // New tables, after the nearest table before them in the catalogue's order.
  const order = catalogue.order[''] ?? [];
  for (const key of catalogue.keysInOrder('', Object.keys(wanted))) {
    if (topKeys.has(key) || spanKeys.has(key) || !catalogue.tableShape(wanted[key])) continue;
    const fresh = catalogue.newSpans(key, wanted[key]);
    const anchor = order.includes(key)
      ? nearestBefore(spans, order, key, (span) => (span.removed ? null : span.key))
      : spans.length - 1;
    // None before it: before the first table.
    spans.splice(anchor + 1, 0, ...fresh);
    spanKeys.add(key);
  }

  const kept = spans.filter((span) => !span.removed);
  const items = [...top];
  kept.forEach((span, index) => {
    // A new table is set off by a blank line on each side, as Nextup's files are.
    if (span.fresh && items.length && items[items.length - 1].type !== 'blank') items.push(BLANK);
    items.push(...spanItems(span));
    if (span.fresh && index < kept.length - 1 && items[items.length - 1].type !== 'blank') {
      items.push(BLANK);
    }
  });
  // A table removed at the end must not leave the blank line that stood before it.
  const blankEnd = trailingBlanks(readItems(toml));
  while (trailingBlanks(items) > blankEnd) items.pop();
  return renderItems(items);
}

const BLANK = { type: 'blank', text: '\n' };

// One region's statements (the top, or one table's): changed values rewritten in place,
// removed ones dropped, new keys (`added`, those the region does not have yet) put after the
// nearest key before them in the catalogue's order.
function editRegion(items, before, after, parent, catalogue, added, isTop) {
  const present = new Set();
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item = items[index];
    if (item.type !== 'stmt') continue;
    present.add(item.key);
    const old = before?.[item.key];
    const value = after?.[item.key];
    if (sameValue(old, value)) continue;
    if (value === undefined) {
      items.splice(index, 1);
    } else {
      item.value = catalogue.valueText(value, childPath(parent, item.key),
        catalogue.knows(parent, item.key));
    }
  }
  const order = catalogue.order[parent] ?? [];
  for (const key of catalogue.keysInOrder(parent, added.filter((key) => !present.has(key)))) {
    const item = catalogue.statementItem(parent, key, after[key]);
    // A key the catalogue does not know goes after all the others.
    const anchor = order.includes(key)
      ? nearestBefore(items, order, key, (it) => (it.type === 'stmt' ? it.key : null))
      : lastIndex(items, (it) => it.type === 'stmt');
    if (anchor >= 0) {
      items.splice(anchor + 1, 0, item);
      continue;
    }
    const first = items.findIndex((it) => it.type === 'stmt');
    if (first >= 0) {
      items.splice(commentsAbove(items, first), 0, item);
    } else if (isTop) {
      // No field yet: after the file's opening comments, before the blank line that ends them.
      items.splice(items.length - trailingBlanks(items), 0, item);
    } else {
      items.push(item);
    }
    present.add(key);
  }
}

// [[name]] spans against a list of tables. Tables that stayed the same keep their spans; the
// others are matched in order (a changed table is edited in its span), the rest removed or
// added after the table before them.
function editTables(spans, mine, before, after, key, catalogue) {
  const pairs = matchLists(before, after);
  let previous = null;
  after.forEach((table, newIndex) => {
    const oldIndex = pairs.get(newIndex);
    if (oldIndex !== undefined) {
      const span = mine[oldIndex];
      if (!sameValue(before[oldIndex], table)) {
        editRegion(span.body, before[oldIndex], table, `${key}[]`, catalogue, Object.keys(table), false);
      }
      previous = span;
      return;
    }
    const [fresh] = catalogue.newSpans(key, [table]);
    spans.splice(previous ? spans.indexOf(previous) + 1 : spans.indexOf(mine[0]), 0, fresh);
    previous = fresh;
  });
  const used = new Set(pairs.values());
  mine.forEach((span, index) => { if (!used.has(index)) span.removed = true; });
}

// new index -> old index. Same lengths: side by side (each edited where it stands). Otherwise
// (one added or removed, perhaps others changed too) the pairing, in order, that keeps the most:
// an unchanged table counts far more than any number of equal fields, and a table shares no
// span with one it has no field in common with.
function matchLists(before, after) {
  const pairs = new Map();
  if (before.length === after.length) {
    after.forEach((_, index) => pairs.set(index, index));
    return pairs;
  }
  const likeness = (a, b) => (sameValue(a, b) ? 1000
    : Object.keys(b).filter((key) => Object.hasOwn(a, key) && sameValue(a[key], b[key])).length);
  const m = before.length;
  const n = after.length;
  const best = Array.from({ length: m + 1 }, () => new Array(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i -= 1) {
    for (let j = n - 1; j >= 0; j -= 1) {
      const like = likeness(before[i], after[j]);
      best[i][j] = Math.max(best[i + 1][j], best[i][j + 1], like > 0 ? like + best[i + 1][j + 1] : 0);
    }
  }
  for (let i = 0, j = 0; i < m && j < n;) {
    const like = likeness(before[i], after[j]);
    if (like > 0 && best[i][j] === like + best[i + 1][j + 1]) {
      pairs.set(j, i);
      i += 1;
      j += 1;
    } else if (best[i][j] === best[i + 1][j]) i += 1;
    else j += 1;
  }
  return pairs;
}

function cutIntoSpans(items) {
  const top = [];
  const spans = [];
  let region = top;
  for (const item of items) {
    if (item.type !== 'header') {
      region.push(item);
      continue;
    }
    const from = commentsAbove(region, region.length);
    const span = { key: item.key, array: item.array, lead: region.splice(from), header: item, body: [] };
    spans.push(span);
    region = span.body;
  }
  return { top, spans };
}

export function spanItems(span) {
  return [...span.lead, span.header, ...span.body];
}

export function renderItems(items) {
  return items.map((item) => (item.type === 'stmt' ? item.prefix + item.value + item.suffix
    : item.text)).join('');
}

// The index in `list` of the last entry holding the key nearest before `key` in `order`
// (keyOf gives an entry's key, or null), or -1 if none holds any key before it.
function nearestBefore(list, order, key, keyOf) {
  for (let at = order.indexOf(key) - 1; at >= 0; at -= 1) {
    const index = lastIndex(list, (entry) => keyOf(entry) === order[at]);
    if (index >= 0) return index;
  }
  return -1;
}

// Where the comment lines directly above items[index] begin.
function commentsAbove(items, index) {
  let from = index;
  while (from > 0 && items[from - 1].type === 'comment') from -= 1;
  return from;
}

function trailingBlanks(items) {
  let count = 0;
  while (count < items.length && items[items.length - 1 - count].type === 'blank') count += 1;
  return count;
}

function lastIndex(list, test) {
  for (let index = list.length - 1; index >= 0; index -= 1) if (test(list[index])) return index;
  return -1;
}

// --- reading the front matter's items ---------------------------------------------------------
// The text has been read by smol-toml already, so it is valid TOML; this only finds where each
// statement and header begins and ends. Anything it does not take apart is Unstructured.

function readItems(toml) {
  const items = [];
  let pos = 0;
  while (pos < toml.length) {
    const start = pos;
    let at = skipSpaces(toml, pos);
    const character = toml[at];
    if (character === undefined || character === '\n' || character === '\r') {
      pos = lineEnd(toml, at);
      items.push({ type: 'blank', text: toml.slice(start, pos) });
    } else if (character === '#') {
      pos = lineEnd(toml, at);
      items.push({ type: 'comment', text: toml.slice(start, pos) });
    } else if (character === '[') {
      const array = toml[at + 1] === '[';
      const [keys, after] = readKey(toml, skipSpaces(toml, at + (array ? 2 : 1)));
      at = skipSpaces(toml, after);
      if (!toml.startsWith(array ? ']]' : ']', at) || keys.length !== 1) throw new Unstructured('header');
      pos = restOfLine(toml, at + (array ? 2 : 1));
      items.push({ type: 'header', key: keys[0], array, text: toml.slice(start, pos) });
    } else {
      const [keys, after] = readKey(toml, at);
      at = skipSpaces(toml, after);
      if (toml[at] !== '=' || keys.length !== 1) throw new Unstructured('key');
      const valueStart = skipSpaces(toml, at + 1);
      const valueEnd = scanValue(toml, valueStart);
      pos = restOfLine(toml, valueEnd);
      items.push({ type: 'stmt', key: keys[0], prefix: toml.slice(start, valueStart),
        value: toml.slice(valueStart, valueEnd), suffix: toml.slice(valueEnd, pos) });
    }
  }
  return items;
}

function skipSpaces(text, pos) {
  while (text[pos] === ' ' || text[pos] === '\t') pos += 1;
  return pos;
}

// Spaces, line breaks and comments, as found between the items of a list.
function skipVoid(text, pos) {
  for (;;) {
    pos = skipSpaces(text, pos);
    if (text[pos] === '\n' || text[pos] === '\r') pos += 1;
    else if (text[pos] === '#') pos = lineEnd(text, pos);
    else return pos;
  }
}

function lineEnd(text, pos) {
  const newline = text.indexOf('\n', pos);
  return newline < 0 ? text.length : newline + 1;
}

// After a value or header: spaces, perhaps a comment, the line's end.
function restOfLine(text, pos) {
  const at = skipSpaces(text, pos);
  if (at < text.length && !'#\n\r'.includes(text[at])) throw new Unstructured('line');
  return lineEnd(text, at);
}

// A key: bare, "quoted" or 'literal' parts joined by dots -> [parts, position after it].
function readKey(text, pos) {
  const parts = [];
  for (;;) {
    pos = skipSpaces(text, pos);
    let part;
    if (text[pos] === '"') [part, pos] = readBasicString(text, pos);
    else if (text[pos] === "'") {
      const end = text.indexOf("'", pos + 1);
      if (end < 0) throw new Unstructured('key');
      part = text.slice(pos + 1, end);
      pos = end + 1;
    } else {
      const bare = /[A-Za-z0-9_-]+/y;
      bare.lastIndex = pos;
      const match = bare.exec(text);
      if (!match) throw new Unstructured('key');
      part = match[0];
      pos = bare.lastIndex;
    }
    parts.push(part);
    const next = skipSpaces(text, pos);
    if (text[next] !== '.') return [parts, pos];
    pos = next + 1;
  }
}

const ESCAPES = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };

function readBasicString(text, pos) {
  let value = '';
  let at = pos + 1;
  while (at < text.length && text[at] !== '"') {
    if (text[at] === '\\') {
      const code = text[at + 1];
      const width = { u: 4, U: 8, x: 2 }[code];
      if (width) {
        value += String.fromCodePoint(parseInt(text.slice(at + 2, at + 2 + width), 16));
        at += 2 + width;
      } else {
        value += ESCAPES[code] ?? code;
        at += 2;
      }
    } else {
      value += text[at];
      at += 1;
    }
  }
  return [value, at + 1];
}

// Where the value starting at `pos` ends: a string of any of TOML's four kinds, a list, an
// inline table, or a bare word (a number, true, a date-time with a space between date and time).
function scanValue(text, pos) {
  if (text.startsWith('"""', pos) || text.startsWith("'''", pos)) {
    const quote = text.slice(pos, pos + 3);
    let at = pos + 3;
    for (;;) {
      if (at >= text.length) throw new Unstructured('string');
      if (quote === '"""' && text[at] === '\\') at += 2;
      else if (text.startsWith(quote, at)) {
        at += 3;
        // Up to two quotes may stand right before the closing three.
        for (let extra = 0; extra < 2 && text[at] === quote[0]; extra += 1) at += 1;
        return at;
      } else at += 1;
    }
  }
  if (text[pos] === '"') return readBasicString(text, pos)[1];
  if (text[pos] === "'") {
    const end = text.indexOf("'", pos + 1);
    if (end < 0) throw new Unstructured('string');
    return end + 1;
  }
  if (text[pos] === '[' || text[pos] === '{') {
    const close = text[pos] === '[' ? ']' : '}';
    let at = pos + 1;
    for (;;) {
      at = skipVoid(text, at);
      if (text[at] === close) return at + 1;
      if (at >= text.length) throw new Unstructured('list');
      if (close === '}') {
        at = skipSpaces(text, readKey(text, at)[1]);
        if (text[at] !== '=') throw new Unstructured('inline table');
        at = skipSpaces(text, at + 1);
      }
      at = skipVoid(text, scanValue(text, at));
      if (text[at] === ',') at += 1;
    }
  }
  const word = /\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?|[^\s,\]}#]+/y;
  word.lastIndex = pos;
  if (!word.exec(text)) throw new Unstructured('value');
  return word.lastIndex;
}

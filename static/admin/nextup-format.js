// Nextup's file format for Decap CMS: TOML front matter between +++ lines, then Markdown.
//
// Decap's own TOML format quotes date-times, moves them to the editor's zone and drops
// comments; Nextup reads none of that. This one (registered by admin/nextup-cms.js as
// "nextup-event" and "nextup-session") writes what an editor would have written:
//   - local dates and date-times bare (start = 2027-01-05T15:15:00), never quoted or moved;
//   - fields first, then tables ([repeat], [location], [[overrides]]), keys in the catalogue's
//     order, keys the catalogue does not know kept after them;
//   - and, for a file that exists, its own bytes for everything the editor did not change:
//     comments, blank lines and order stay, a changed value is rewritten in place (its line's
//     comment kept), a removed one loses its line, an added one goes after the nearest key
//     before it in the catalogue's order. Unchanged data gives the file back byte for byte.
//
// nextupFormat(schema): schema = { order, kinds } from generator/render/admin.py cms_schema():
//   order: { "": [top-level keys], "repeat": [...], "overrides[]": [...], ... }
//   kinds: { "start": "local", "exdates[]": "local", "repeat.on[]": "integer-or-string", ... }
//   with kinds "local", "integer", "float", "integer-or-string", "boolean"; anything else is
//   written as its value's type says (a string quoted, a list, a table).
//
// Plain browser JavaScript: no Node APIs, one import (smol-toml, vendored unchanged).
import { parse } from './vendor/smol-toml/index.js';

const FENCE = '+++';
// Decap passes these in the entry's data beside the fields: the Markdown body, and the text the
// file had when it was opened (a hidden field; see fromFile).
const BODY = 'body';
const SOURCE = '__source';

export function nextupFormat(schema) {
  const catalogue = new Catalogue(schema);
  return {
    fromFile(text) {
      const file = splitFile(text);
      // Never throw here: Decap would open the entry with no data at all, and saving it would
      // write an empty file over the real one. With __source kept, toFile refuses instead.
      if (file === null) return { [BODY]: text, [SOURCE]: text };
      let values;
      try {
        values = plainValues(parse(file.toml));
      } catch {
        return { [BODY]: bodyText(file.tail), [SOURCE]: text };
      }
      return { ...values, [BODY]: bodyText(file.tail), [SOURCE]: text };
    },

    toFile(data /* , sortedKeys, comments: Decap's; the catalogue decides order */) {
      const { [BODY]: body = '', [SOURCE]: source, ...fields } = data;
      if (typeof source !== 'string' || source === '') {
        const wanted = catalogue.tidy(fields, '', undefined) ?? {};
        return `${FENCE}\n${catalogue.writeToml(wanted)}${FENCE}\n${newBody(body)}`;
      }
      const { file, values } = readSource(source);
      const had = catalogue.tidy(values, '', values) ?? {};
      const wanted = catalogue.tidy(fields, '', values) ?? {};
      const sameBody = bodyText(file.tail) === bodyText(String(body ?? ''));
      if (sameValue(had, wanted) && sameBody) return source;

      let toml;
      try {
        toml = editToml(file.toml, values, had, wanted, catalogue);
      } catch (error) {
        // A layout this editor does not take apart (dotted keys, [a.b] tables): written anew,
        // in Nextup's layout, without the file's comments.
        if (!(error instanceof Unstructured)) throw error;
        toml = catalogue.writeToml(wanted);
      }
      let close = file.close;
      const tail = sameBody ? file.tail : newBody(body);
      if (tail !== '' && !close.endsWith('\n')) close += '\n';
      return file.join(file.head + toml + close + tail);
    },
  };
}

// --- the file: fences, body, line endings -----------------------------------------------------

// The front matter's parts as Nextup splits them (content/load.py): the first line holds only
// +++, the next line that does closes it. Worked on with \n line ends; join() puts back the
// file's own (\r\n) and its byte order mark.
function splitFile(text) {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  let rest = text.slice(bom.length);
  const crlf = rest.includes('\r\n');
  if (crlf) rest = rest.replace(/\r\n/g, '\n');
  const lines = rest.split('\n');
  if (lines[0].trim() !== FENCE) return null;
  let offset = lines[0].length + 1;
  for (let index = 1; index < lines.length; index += 1) {
    const end = offset + lines[index].length;
    if (lines[index].trim() === FENCE) {
      const closeEnd = Math.min(end + 1, rest.length);
      return {
        head: rest.slice(0, lines[0].length + 1),
        toml: rest.slice(lines[0].length + 1, offset),
        close: rest.slice(offset, closeEnd),
        tail: rest.slice(closeEnd),
        join: (lf) => bom + (crlf ? lf.replace(/\n/g, '\r\n') : lf),
      };
    }
    offset = end + 1;
  }
  return null;
}

// The Markdown as the editor sees it: without the blank lines around it (as Nextup reads it).
function bodyText(tail) {
  return tail.replace(/\r\n/g, '\n').replace(/^\n+|\n+$/g, '');
}

function newBody(body) {
  const text = bodyText(String(body ?? ''));
  return text === '' ? '' : `${text}\n`;
}

function readSource(source) {
  const file = splitFile(source);
  if (file === null) {
    throw new Error('This file does not start with a line holding only +++, so its settings '
      + 'cannot be read. Fix it in the repository (build.py check says how), then edit it here.');
  }
  try {
    return { file, values: plainValues(parse(file.toml)) };
  } catch (error) {
    throw new Error(`This file's settings are not valid TOML (${error.message}). Fix it in the `
      + 'repository (build.py check says how), then edit it here; saving now would lose them.');
  }
}

// smol-toml's values as Decap's widgets hold them: dates as the text Nextup wrote
// ("2027-01-05T15:15:00", "2027-01-05"), tables as ordinary objects.
function plainValues(value) {
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value)) return value.map(plainValues);
  if (isTable(value)) {
    const table = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(table, key, { value: plainValues(item), enumerable: true,
        writable: true, configurable: true });
    }
    return table;
  }
  return value;
}

// smol-toml's TomlDate knows which kind of date it was; its toISOString gives it back as written
// (a local date-time without a zone, a local date without a time), milliseconds aside.
function dateText(date) {
  return date.toISOString().replace(/\.000(?=$|[Zz+-])/, '');
}

// What dateText gives: a TOML date or date-time, written bare.
const TOML_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

// --- values: what the catalogue says they are -------------------------------------------------

// A date, or a date and a wall-clock time, as Nextup writes it bare. Decap's picker gives
// "YYYY-MM-DDTHH:mm:ss" (config.yml's format); "Z" or "+00:00" is dropped, because with
// picker_utc the UTC reading *is* the wall clock the editor picked. Any other offset, or a day
// that does not exist, is not a local value: it stays a quoted string, which `check` reports.
const LOCAL_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:[Zz]|[+-]00:00)?)?$/;

function localText(text) {
  const match = LOCAL_TEXT.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second = '00', fraction = ''] = match;
  const check = new Date(Date.UTC(+year, +month - 1, +day));
  if (check.getUTCFullYear() !== +year || check.getUTCMonth() !== +month - 1
      || check.getUTCDate() !== +day) return null;
  const date = `${year}-${month}-${day}`;
  if (hour === undefined) return date;
  if (+hour > 23 || +minute > 59 || +second > 59) return null;
  return `${date}T${hour}:${minute}:${second}${/^\.0*$/.test(fraction) ? '' : fraction}`;
}

function dateObjectText(date) {
  // Only if a widget hands over a Date: with picker_utc its UTC fields are the wall clock.
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
    + `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

const WHOLE = /^\s*[+-]?\d+\s*$/;
const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

class Catalogue {
  constructor(schema) {
    this.order = schema?.order ?? {};
    this.kinds = schema?.kinds ?? {};
  }

  kind(path) {
    return this.kinds[path];
  }

  // Whether the catalogue names the key at `path` ("repeat.until", "overrides[].start").
  knows(parent, key) {
    return (this.order[parent] ?? []).includes(key);
  }

  keysInOrder(parent, keys) {
    const order = this.order[parent] ?? [];
    const known = order.filter((key) => keys.includes(key));
    return known.concat(keys.filter((key) => !order.includes(key)));
  }

  // What Decap sends, as Nextup means it: numbers that number widgets in lists give as text
  // made numbers, "true" made true, dates normalised; cleared fields ("", [], {}, null) left
  // out. A key the catalogue does not know is kept only if the file had it: the others are
  // the CMS's own (a new session's event and date, which name the file instead).
  // `before`: the value at the same place in the file as it was, or undefined.
  tidy(value, path, before) {
    if (value === null || value === undefined) return undefined;
    const kind = this.kind(path);
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? undefined : dateObjectText(value);
    }
    if (Array.isArray(value)) {
      const items = [];
      value.forEach((item, index) => {
        const tidied = this.tidy(item, `${path}[]`, Array.isArray(before) ? before[index] : undefined);
        if (tidied !== undefined) items.push(tidied);
      });
      // "One name, or a list of names" (host, address): Decap's list widget holds the file's
      // one name as a list of one, which means the same; the file keeps its way of writing it.
      if (items.length === 1 && typeof before === 'string' && items[0] === before) return before;
      return items.length ? items : undefined;
    }
    if (isTable(value)) {
      const table = {};
      for (const [key, item] of Object.entries(value)) {
        const childBefore = isTable(before) ? before[key] : undefined;
        if (!this.knows(path, key) && childBefore === undefined) continue;
        const tidied = this.tidy(item, childPath(path, key), childBefore);
        // A switch left off that the file never had: Nextup's default is off, so no line.
        if (tidied === false && this.kind(childPath(path, key)) === 'boolean'
            && childBefore === undefined) continue;
        if (tidied !== undefined) {
          Object.defineProperty(table, key, { value: tidied, enumerable: true, writable: true,
            configurable: true });
        }
      }
      return Object.keys(table).length ? table : undefined;
    }
    if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
    if (typeof value !== 'string') return value;
    if (value === '') return undefined;
    if (kind === 'local') return localText(value) ?? value;
    if (kind === 'integer' || kind === 'float') return NUMBER.test(value) ? Number(value) : value;
    if (kind === 'integer-or-string') return WHOLE.test(value) ? Number(value) : value;
    if (kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }

  // --- writing ---

  // Whether a top-level key is written as a table: [name] or [[name]].
  tableShape(value) {
    if (isTable(value)) return 'table';
    if (Array.isArray(value) && value.length && value.every(isTable)) return 'tables';
    return null;
  }

  // A whole front matter in Nextup's layout: fields, then each table after a blank line.
  writeToml(values) {
    const keys = this.keysInOrder('', Object.keys(values));
    const fields = keys.filter((key) => !this.tableShape(values[key]));
    const tables = keys.filter((key) => this.tableShape(values[key]));
    const parts = [];
    if (fields.length) parts.push(fields.map((key) => this.statementText('', key, values[key])).join(''));
    for (const key of tables) {
      for (const span of this.newSpans(key, values[key])) parts.push(renderItems(spanItems(span)));
    }
    return parts.join('\n');
  }

  statementText(parent, key, value) {
    return renderItems([this.statementItem(parent, key, value)]);
  }

  statementItem(parent, key, value) {
    return { type: 'stmt', key, prefix: `${keyText(key)} = `, suffix: '\n',
      value: this.valueText(value, childPath(parent, key), this.knows(parent, key)) };
  }

  // New [name] / [[name]] spans (see editToml) for a table or a list of tables.
  newSpans(key, value) {
    const tables = Array.isArray(value) ? value : [value];
    const header = Array.isArray(value) ? `[[${keyText(key)}]]\n` : `[${keyText(key)}]\n`;
    const parent = Array.isArray(value) ? `${key}[]` : key;
    return tables.map((table) => ({
      key, array: Array.isArray(value), lead: [], header: { type: 'header', text: header },
      body: this.keysInOrder(parent, Object.keys(table))
        .map((name) => this.statementItem(parent, name, table[name])),
      fresh: true,
    }));
  }

  // One value as TOML. `known`: whether the catalogue names this place. A date's text at a
  // place it does not know came from the file as a bare date (fromFile made it text: the CMS
  // has no field there), so it goes back bare.
  valueText(value, path, known) {
    const kind = this.kind(path);
    if (typeof value === 'string') {
      if (kind === 'local') return localText(value) ?? quoted(value);
      return !known && kind === undefined && TOML_DATE.test(value) ? value : quoted(value);
    }
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'bigint') return String(value);
    if (typeof value === 'number') return numberText(value, kind === 'float');
    if (Array.isArray(value)) {
      return `[${value.map((item) => this.valueText(item, `${path}[]`, known)).join(', ')}]`;
    }
    if (isTable(value)) {
      const keys = this.keysInOrder(path, Object.keys(value));
      if (!keys.length) return '{}';
      return `{ ${keys.map((key) => `${keyText(key)} = ${this.valueText(value[key],
        childPath(path, key), known && this.knows(path, key))}`).join(', ')} }`;
    }
    return quoted(String(value));
  }
}

function childPath(parent, key) {
  return parent ? `${parent}.${key}` : key;
}

function isTable(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && !(value instanceof Date);
}

function numberText(number, float) {
  if (Number.isNaN(number)) return 'nan';
  if (!Number.isFinite(number)) return number > 0 ? 'inf' : '-inf';
  // A float field's whole number still needs its ".0" (53.0), or TOML reads an integer.
  return float && Number.isInteger(number) && Math.abs(number) < 1e21 ? number.toFixed(1)
    : String(number);
}

// A TOML basic string: " and \ escaped, line breaks and tabs as \n and \t, every other
// control character as \uXXXX (TOML allows none of them raw).
function quoted(text) {
  const escaped = text.replace(/[\\"\u0000-\u001f\u007f]/g, (character) => {
    if (character === '\\') return '\\\\';
    if (character === '"') return '\\"';
    if (character === '\n') return '\\n';
    if (character === '\t') return '\\t';
    return `\\u${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

function keyText(key) {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : quoted(key);
}

function sameValue(a, b) {
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

class Unstructured extends Error {}

function editToml(toml, values, had, wanted, catalogue) {
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

function spanItems(span) {
  return [...span.lead, span.header, ...span.body];
}

function renderItems(items) {
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

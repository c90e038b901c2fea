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
// Plain browser JavaScript, no Node APIs: smol-toml (vendored unchanged) reads the TOML, and
// nextup-layout.js edits a file in place.
import { parse } from './vendor/smol-toml/index.js';
import {
  Unstructured, childPath, editToml, isTable, renderItems, sameValue, spanItems,
} from './nextup-layout.js';

const FENCE = '+++';
// Decap passes these in the entry's data beside the fields: the Markdown body, and the text the
// file had when it was opened (a hidden field; see fromFile).
const BODY = 'body';
const SOURCE = '__source';

export function nextupFormat(schema) {
  const catalogue = new Catalogue(schema);
  return {
    fromFile(text) {
      // Decap hands over an entry it has no text for (entryWithFormat) and keeps what comes back.
      if (typeof text !== 'string') return text;
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
// ("2027-01-05T15:15:00", "2027-01-05"), tables as ordinary objects (keys set with
// defineProperty, so that one named __proto__ stays a key).
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

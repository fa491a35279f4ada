// The façade's answers on their way from the worker to the page, as what changed since the
// previous answer (issue 16: a 500-domain analysis is 14 MB of JSON text; parsing it on the main
// thread took 0.5-1.4 s, and after an edit almost all of it reads as before).
//
// The model: the worker cuts the answer's text into parts without parsing it (the response's
// members, the result's members, and one level further: the members of an object, the elements of
// an array) and compares each part's text with the same place of the previous answer. It parses
// only the parts whose text differs and posts a delta: "the same as before" for the others, and an
// array element whose text is that of any element of the previous array is "that element". The
// page rebuilds the answer from the delta and its own copy of the previous answer, so an unchanged
// part is the very object it had before (which also lets a drawing tell "unchanged" by identity).
// An array with no array before it, or far longer than the one before, is parsed whole, none of
// its elements an earlier one; its elements' texts are found after it is posted (WHOLE_ARRAY_GROWTH).
//
// Sharing is asked for by the caller, call by call: both ends keep one previous shared answer per
// method and update it on every shared answer, in the order they are posted (a worker's messages
// arrive in order); a delta names the sequence number of the answer it builds on, and the page
// refuses one that does not match rather than guess. A shared answer is read-only, since its parts
// may be those of the previous one: a caller that keeps a part to edit it takes a copy. An answer
// not shared is parsed whole in the worker and is the caller's own.
//
// Errors stay data here: an error response is cut and rebuilt like any other answer, and the page's
// one door to core (core-client.js) makes the Error.

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

/** Levels below the response that are cut into parts (response → result → section → part → element):
 *  deeper values are parsed whole when their text changed. */
export const CUT_DEPTH = 4;

/** The parsed elements of an array go to the page in pieces of about this many characters of
 *  text, each posted on its own: the page takes each in a task of its own (issue 16: the 14 MB of a
 *  500-domain import, posted whole, held the page's main thread 0.4-0.8 s to receive). */
export const PIECE_CHARS = 200_000;

const isSpace = (c) => c === 32 || c === 10 || c === 13 || c === 9;

function skipSpace(text, i) {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index just past the string that opens at `i`. */
function skipString(text, i) {
  for (;;) {
    const quote = text.indexOf('"', i + 1);
    if (quote < 0) throw new SyntaxError('answer-delta: a string without its end');
    let slashes = 0;
    for (let b = quote - 1; text.charCodeAt(b) === BACKSLASH; b--) slashes++;
    i = quote;
    if (slashes % 2 === 0) return quote + 1;
  }
}

/** The index just past the JSON value that starts at `i` (no space before it). */
function skipValue(text, i) {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      }
      i++;
    }
    throw new SyntaxError('answer-delta: an object or array without its end');
  }
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) break;
    i++;
  }
  return i;
}

/** The parts of the object or array whose text is `text`: [{key, text}] (key null in an array). */
function partsOf(text) {
  const open = text.charCodeAt(0);
  const close = open === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
  const parts = [];
  let i = skipSpace(text, 1);
  if (text.charCodeAt(i) === close) return parts;
  for (;;) {
    let key = null;
    if (open === OPEN_OBJECT) {
      const end = skipString(text, i);
      key = JSON.parse(text.slice(i, end));
      i = skipSpace(text, end);
      if (text.charCodeAt(i) !== COLON) throw new SyntaxError('answer-delta: a member without a colon');
      i = skipSpace(text, i + 1);
    }
    const end = skipValue(text, i);
    parts.push({ key, text: text.slice(i, end) });
    i = skipSpace(text, end);
    const c = text.charCodeAt(i);
    if (c === close) return parts;
    if (c !== COMMA) throw new SyntaxError('answer-delta: parts not separated by a comma');
    i = skipSpace(text, i + 1);
  }
}

const kindOf = (text) => {
  const c = text.charCodeAt(0);
  return c === OPEN_OBJECT ? 'object' : c === OPEN_ARRAY ? 'array' : 'value';
};

/**
 * Cuts `text` (a part of an answer) against `before`, the same place of the previous answer's
 * cut (or null). Returns {delta, cut}: the delta to post, and this text's cut for the next answer.
 *
 * A delta is one of: 0 (the same as before), {value} (parsed here), {keys, members} (an object:
 * its keys in order and a delta for each), {reuse, pieces} (an array: reuse[i] is the index of the
 * previous element that element i is, or -1 for the next element parsed here; `pieces` holds those,
 * in lists of about PIECE_CHARS characters of text, which encode() posts apart).
 */
function cut(text, before, depth, stats) {
  if (before && before.text === text) return { delta: 0, cut: before };
  const kind = kindOf(text);
  if (depth >= CUT_DEPTH || kind === 'value') return { delta: { value: JSON.parse(text) }, cut: { text } };
  if (kind === 'array' && (before?.kind !== 'array' || text.length > WHOLE_ARRAY_GROWTH * before.text.length)) {
    return wholeArray(text, stats);
  }
  const parts = partsOf(text);
  if (kind === 'object') {
    const members = new Map();
    const keys = [];
    const deltas = [];
    const old = before?.kind === 'object' ? before.members : null;
    for (const { key, text: member } of parts) {
      const { delta, cut: memberCut } = cut(member, old?.get(key) ?? null, depth + 1, stats);
      keys.push(key);
      deltas.push(delta);
      members.set(key, memberCut);
    }
    return { delta: { keys, members: deltas }, cut: { text, kind, members } };
  }
  const old = indexOf(before);
  const index = new Map();
  const reuse = new Int32Array(parts.length);
  const pieces = [];
  let piece = null;
  let chars = 0;
  parts.forEach(({ text: element }, i) => {
    const was = old?.get(element);
    reuse[i] = was ?? -1;
    if (was === undefined) {
      if (!piece || chars > PIECE_CHARS) {
        piece = [];
        chars = 0;
        pieces.push(piece);
      }
      piece.push(JSON.parse(element));
      chars += element.length;
      stats.pieceChars += element.length;
    }
    if (!index.has(element)) index.set(element, i);
  });
  return { delta: { reuse, pieces }, cut: { text, kind, index } };
}

/** An array with none before it, or this many times the text of the one before, is parsed whole:
 *  few of its elements can be the previous ones (an import over the example). Cutting the 14 MB
 *  answer of a 500-domain import element by element took 126-207 ms before the page could have
 *  any of it; parsed whole, its elements' texts, which only the next answer needs, are found
 *  afterwards (settle), while the page draws. */
const WHOLE_ARRAY_GROWTH = 4;

/** The delta of an array parsed whole, its elements in pieces of about PIECE_CHARS characters of
 *  text (counted by the array's mean), and a cut whose index is found later. */
function wholeArray(text, stats) {
  const elements = JSON.parse(text);
  const perPiece = Math.max(1, Math.ceil((elements.length * PIECE_CHARS) / text.length));
  const pieces = [];
  for (let i = 0; i < elements.length; i += perPiece) pieces.push(elements.slice(i, i + perPiece));
  stats.pieceChars += text.length;
  const arrayCut = { text, kind: 'array', index: null };
  stats.unindexed.push(arrayCut);
  return { delta: { reuse: new Int32Array(elements.length).fill(-1), pieces }, cut: arrayCut };
}

/** The index of an array's cut, each element's text to its first place; null for no array. */
function indexOf(arrayCut) {
  if (arrayCut?.kind !== 'array') return null;
  if (!arrayCut.index) {
    const index = new Map();
    partsOf(arrayCut.text).forEach(({ text }, i) => {
      if (!index.has(text)) index.set(text, i);
    });
    arrayCut.index = index;
  }
  return arrayCut.index;
}

/** Takes the pieces of the delta's arrays out into `out`, leaving their numbers in their place. */
function takePieces(delta, out) {
  if (delta === 0 || 'value' in delta) return;
  if ('keys' in delta) {
    for (const member of delta.members) takePieces(member, out);
    return;
  }
  delta.pieces = delta.pieces.map((piece) => out.push(piece) - 1);
}

/** The worker's end: one previous cut per method. */
export function createEncoder() {
  const previous = new Map();
  /** The cuts of arrays parsed whole whose index is not found yet (settle). */
  let unindexed = [];
  return {
    /** Finds the indexes that the last answers left to find: the worker calls it once it has
     *  posted them (the next answer finds any still missing itself). */
    settle() {
      for (const arrayCut of unindexed) indexOf(arrayCut);
      unindexed = [];
    },

    /**
     * The delta of `text`, the answer of `method`: when `shared`, against that method's previous
     * shared answer, with the sequence number of the answer it builds on (`base`, 0 for none) and
     * its own (`seq`); otherwise against nothing (seq 0). Returns {answer: {base, seq, delta},
     * pieces, apart}: the pieces (lists of parsed elements) go first, each posted apart, then the
     * answer, when `apart`; else all of them in one message (together they are shorter than one
     * piece: a message more is a task more of the page's, 1-2 ms of an edit of the example).
     */
    encode(method, text, shared) {
      const last = (shared && previous.get(method)) || { seq: 0, cut: null };
      const stats = { pieceChars: 0, unindexed: [] };
      const { delta, cut: now } = cut(text.trim(), last.cut, 0, stats);
      const seq = shared ? last.seq + 1 : 0;
      if (shared) {
        previous.set(method, { seq, cut: now });
        unindexed.push(...stats.unindexed);
      }
      const pieces = [];
      takePieces(delta, pieces);
      return { answer: { base: last.seq, seq, delta }, pieces, apart: stats.pieceChars > PIECE_CHARS };
    },
  };
}

function rebuild(delta, before, pieces) {
  if (delta === 0) return before;
  if ('value' in delta) return delta.value;
  if ('keys' in delta) {
    const out = {};
    const old = before !== null && typeof before === 'object' && !Array.isArray(before) ? before : null;
    delta.keys.forEach((key, i) => {
      out[key] = rebuild(delta.members[i], old ? old[key] : undefined, pieces);
    });
    return out;
  }
  const old = Array.isArray(before) ? before : [];
  const out = new Array(delta.reuse.length);
  let piece = 0;
  let next = 0;
  for (let i = 0; i < out.length; i++) {
    if (delta.reuse[i] >= 0) {
      out[i] = old[delta.reuse[i]];
      continue;
    }
    while (next >= pieces[delta.pieces[piece]].length) {
      piece++;
      next = 0;
    }
    out[i] = pieces[delta.pieces[piece]][next++];
  }
  return out;
}

/** The page's end: one previous answer per method. */
export function createDecoder() {
  const previous = new Map();
  return {
    /** The answer of `method` that `{base, seq, delta}` and its `pieces` describe; throws when the
     *  delta builds on an answer this end does not hold (the two ends went out of step). */
    decode(method, { base, seq, delta }, pieces) {
      if (seq === 0) return rebuild(delta, null, pieces);
      const last = previous.get(method) ?? { seq: 0, answer: null };
      if (base !== last.seq) throw new Error(`answer-delta: ${method} answer ${seq} builds on ${base}, this page holds ${last.seq}`);
      const answer = rebuild(delta, last.answer, pieces);
      previous.set(method, { seq, answer });
      return answer;
    },
  };
}

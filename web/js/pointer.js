// JSON Pointers (RFC 6901) over the config object the page edits.

export function tokens(pointer) {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function join(base, ...parts) {
  return base + parts.map((p) => '/' + String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

export function get(document, pointer) {
  let node = document;
  for (const token of tokens(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = node[token];
  }
  return node;
}

/** Sets the value at `pointer`, creating objects on the way; `undefined` deletes the key. */
export function set(document, pointer, value) {
  const path = tokens(pointer);
  let node = document;
  for (const token of path.slice(0, -1)) {
    if (node[token] === null || typeof node[token] !== 'object') node[token] = {};
    node = node[token];
  }
  const last = path.at(-1);
  if (value === undefined) delete node[last];
  else node[last] = value;
}

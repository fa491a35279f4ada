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

/**
 * After item `index` of the list at `list` was removed: the keys (JSON Pointers) of `keyed`, a Map
 * or a Set of what is kept by pointer (passwords, folded cards), move with their items. Keys at
 * or under the removed item go; keys under a later item lose one from its index.
 */
export function removeListItem(keyed, list, index) {
  const prefix = `${list}/`;
  const moved = [];
  for (const key of [...keyed.keys()]) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const cut = rest.indexOf('/');
    const position = Number(cut < 0 ? rest : rest.slice(0, cut));
    if (!Number.isInteger(position) || position < index) continue;
    const value = keyed instanceof Map ? keyed.get(key) : key;
    keyed.delete(key);
    if (position > index) moved.push([`${prefix}${position - 1}${cut < 0 ? '' : rest.slice(cut)}`, value]);
  }
  for (const [key, value] of moved) {
    if (keyed instanceof Map) keyed.set(key, value);
    else keyed.add(key);
  }
}

// Building DOM without HTML strings: every text goes through textContent, so text from a config
// (domain names, hosts, messages) stays inert whatever it contains.

/** Creates an element: h('p', {class: 'x', dataset: {path: '/a'}}, 'text', child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;  // a textarea has no value attribute
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Creates an SVG element with attributes. */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

/** Scrolls `element` to `block` ('center' or 'start') of the viewport and keeps it there while the
 *  layout above it settles. On a long page the parts drawn with `content-visibility: auto` stand in
 *  at an estimated height until they are laid out, so a single jump to a far element lands short
 *  (by 30,000 px and more on the 500-domain page, with the element off screen): the jump is made
 *  again each frame until the element has stayed in view for two frames (at most 30 frames). The
 *  page jumps rather than glides: a glide is aimed where the element was before the layout moved. */
export function reveal(element, block = 'center') {
  const inView = () => {
    const { top } = element.getBoundingClientRect();
    return top >= -2 && top < innerHeight * 0.75;
  };
  element.scrollIntoView({ block });
  let frames = 0;
  let steady = 0;
  const settle = () => {
    if (!element.isConnected || frames++ >= 30) return;
    if (inView()) {
      if (++steady >= 2) return;
    } else {
      steady = 0;
      element.scrollIntoView({ block });
    }
    requestAnimationFrame(settle);
  };
  requestAnimationFrame(settle);
}

const NUMBER = new Intl.NumberFormat('en-US');

/** A number as the page writes it (1,234): one formatter for all of them, where toLocaleString
 *  makes one a call (0.1 s over 500 domains; 1-2 ms of every edit of the example). */
export const number = (n) => NUMBER.format(Number(n ?? 0));

/** A count and its word: "1 lookup", "3 lookups". */
export const plural = (n, word) => `${number(n)} ${word}${n === 1 ? '' : 's'}`;

/** How many rows of a long table are drawn: core's `form.limits.tableRowsAtFirst` until the admin
 *  asked for all (`all`); every row for a core without the limit. */
export const rowsDrawn = (form, all) => (all ? Infinity : form?.limits?.tableRowsAtFirst ?? Infinity);

/** The line under a table drawn in part: how many rows are shown, and a button that has them all
 *  drawn (`showAll`; the drawing that draws them moves focus to the first new row, as the button
 *  is gone). */
export function moreRows(drawn, total, noun, showAll) {
  return h('p', { class: 'more-rows' }, `The first ${number(drawn)} of ${number(total)} ${noun} are shown. `,
    h('button', { type: 'button', onclick: showAll }, `Show all ${number(total)} ${noun}`));
}

/** Replaces the children of `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** Makes `children` (nodes and strings, in nested arrays, null and false skipped) the children of
 *  `element`, moving only what is out of place: a node already in its place stays, and so does a
 *  text that reads the same. What stays keeps its layout, the browser's content-visibility state,
 *  scroll and focus (issue 16: a section drawn anew was laid out twice, before and after the
 *  browser found which of its new parts are on screen: 11-16 ms of each edit's frame). */
export function sync(element, ...children) {
  const wanted = children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false);
  const kept = new Set(wanted.filter((child) => child instanceof Node));
  let current = element.firstChild;
  /** Past the nodes that go (none of `children`), removed now so that they do not make every node
   *  after them move; a text that goes is kept for `text` to write over when it comes next. */
  const skipGone = (text) => {
    while (current && !kept.has(current) && !(text && current.nodeType === Node.TEXT_NODE)) {
      const next = current.nextSibling;
      current.remove();
      current = next;
    }
  };
  for (const child of wanted) {
    const text = !(child instanceof Node);
    skipGone(text);
    if (!text && child === current) {
      current = current.nextSibling;
    } else if (!text) {
      element.insertBefore(child, current);
    } else if (current?.nodeType === Node.TEXT_NODE && !kept.has(current)) {
      if (current.data !== String(child)) current.data = String(child);
      current = current.nextSibling;
    } else {
      element.insertBefore(document.createTextNode(String(child)), current);
    }
  }
  while (current) {
    const next = current.nextSibling;
    current.remove();
    current = next;
  }
}

/** The parts of a drawing kept for the next one, each by a key and what it was drawn from: a part
 *  whose inputs are the same objects as last time (core's answers share what did not change:
 *  core-client.js) is the same node, which `sync` then leaves in place. A drawing begins with
 *  `begin()` and ends with `end()`; one stopped part way keeps what was kept before it. */
export class KeptParts {
  #before = new Map();
  #now = new Map();

  begin() {
    this.#now = new Map();
  }

  /** The node of `key`: the one built from the same `inputs` before, else `build()`'s. */
  node(key, inputs, build) {
    const old = this.#before.get(key);
    const node = old && old.inputs.length === inputs.length && old.inputs.every((x, i) => x === inputs[i]) ? old.node : build();
    this.#now.set(key, { inputs, node });
    return node;
  }

  end() {
    this.#before = this.#now;
    this.#now = new Map();
  }
}

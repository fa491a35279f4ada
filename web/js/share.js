// The share link: a config in the URL fragment (#config=…), deflated with the browser's
// CompressionStream and written in base64url. A fragment never travels in a request, so the
// config reaches no server; what is shared is core's normalised config, which holds no password.
import { number } from './dom.js';

const PREFIX = '#config=';
const FORMAT = 'deflate-raw';
/** A guard of the tab's memory, not a rule of the config (core has its own limit and says so):
 *  a link that inflates past this is refused before it is all read. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

async function through(stream, bytes, maxBytes = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel();
      throw new Error(`the link holds more than ${number(maxBytes)} bytes of config`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) { out.set(chunk, at); at += chunk.length; }
  return out;
}

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link holds characters that base64url does not use');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The share link of `config` (an object) for the page at `base` (its URL without fragment). */
export async function shareLink(config, base) {
  const bytes = new TextEncoder().encode(JSON.stringify(config));
  return `${base}${PREFIX}${toBase64Url(await through(new CompressionStream(FORMAT), bytes))}`;
}

/** True when `hash` (location.hash) carries a shared config. */
export const isShareHash = (hash) => hash.startsWith(PREFIX);

/** The config text of a share fragment; throws an Error saying why the link cannot be read. */
export async function configTextOf(hash) {
  let bytes;
  try {
    bytes = await through(new DecompressionStream(FORMAT), fromBase64Url(hash.slice(PREFIX.length)), MAX_INFLATED_BYTES);
  } catch (error) {
    throw new Error(error?.message?.startsWith('the link') ? error.message : 'the link is cut short or damaged', { cause: error });
  }
  return new TextDecoder().decode(bytes);
}

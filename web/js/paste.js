// A pasted whitelist (the CRM's help page, a Postfix, Exim or Sendmail configuration) read by
// core's cidr.extract: core finds the entries, cleans them and says what it could not read; this
// module only asks and shows the answer. Used by the CRM ranges box (networks) and a relay's
// outbound IPs box (single addresses).
import { h } from './dom.js';

/**
 * What core reads from `text`: {entries, count, cleaned, cleanedBy, duplicates, unreadable:
 * [{line, text, reason}], unreadableCount, overLimit, message}. `call` is the core client's
 * callCore; `addressesOnly` is for outbound IPs (a network is then unreadable, with why).
 */
export function extractPasted(call, text, { addressesOnly = false } = {}) {
  return call('cidr.extract', { text, addressesOnly });
}

/**
 * Core's answer as the admin reads it: its sentence (which counts every item it could not read),
 * then the first of those items, each with its line and core's reason.
 */
export function pasteReport(result) {
  return h('div', { class: 'paste-report', role: 'status' },
    h('p', {}, result.message),
    result.unreadable.length === 0 ? null : h('ul', { class: 'paste-unreadable' },
      result.unreadable.map((u) => h('li', {}, `Line ${u.line}: ${u.text} ${u.reason}.`))));
}

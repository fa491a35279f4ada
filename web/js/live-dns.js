// "Check live DNS" (issue 17): the page's half of the lookup loop of `relaycheck dns fetch`
// (cli/cmd_dns.cpp). Core plans every lookup (dns.plan), builds every query (dns.query), reads
// every answer (dns.answer) and merges them into the config (dns.merge); this file only carries
// the bytes with fetch() to the resolver the admin chose among core's (form: dohResolvers), whose
// origins are the only ones the page's Content-Security-Policy lets it reach.
//
// Nothing is asked unless the admin presses the button. A lookup that fails (timeout, HTTP error,
// an answer core cannot read) is kept as core keeps it in the CLI, a TIMEOUT entry (a temporary
// error, not a fail), and the others go on. Cancel stops the run and leaves the config unchanged.
import { callCore } from './core-client.js';
import { h, number, plural, replace } from './dom.js';

/** Core's words (form.words.liveDns) with each {name} replaced by `values[name]`. */
function say(words, key, values = {}) {
  return (words[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** Base64 of bytes (dns.answer's `response`). */
function base64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/** The time now as core stores it: RFC 3339 UTC, to the second. */
function nowRfc3339() {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * Asks the resolver for one lookup; resolves to {entries} (core's zone fragment) or {error}
 * (words for the admin) and never rejects: one lookup's failure does not stop the others.
 */
async function lookUp(resolver, lookup, signal, { timeoutMs, words }) {
  const { name, type } = lookup;
  let query;
  try {
    query = await callCore('dns.query', { name, type });
  } catch (error) {
    return { error: say(words, 'notAsked', { reason: error.message }), unaskable: true };
  }
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const stop = () => timeout.abort();
  signal.addEventListener('abort', stop);
  let bytes;
  try {
    const response = await fetch(`${resolver.url}?dns=${query.dohGet}`, {
      headers: { accept: 'application/dns-message' },
      signal: timeout.signal,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
    if (!response.ok) return { error: say(words, 'http', { resolver: resolver.label, status: response.status }) };
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (signal.aborted) return { error: say(words, 'cancelled') };
    if (timeout.signal.aborted) return { error: say(words, 'timeout', { seconds: timeoutMs / 1000 }) };
    return { error: say(words, 'unreachable', { resolver: resolver.label, reason: error.message }) };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
  try {
    const answer = await callCore('dns.answer', { question: { name, type }, response: base64(bytes) });
    if (!answer.entries || typeof answer.entries !== 'object') {
      return { error: say(words, 'truncated', { resolver: resolver.label }) };
    }
    return { entries: answer.entries, rcode: answer.rcodeName };
  } catch (error) {
    return { error: say(words, 'unreadable', { resolver: resolver.label, reason: error.message }) };
  }
}

/**
 * Sets up the panel in `root` (index.html's #live-dns): the resolver select filled from core's
 * choices, the button, Cancel, progress and the summary of the last run.
 *   form: core's `form`; config(): the page's config now; apply(config, label): makes the merged
 *   config the page's, as one undoable step, and analyses it again.
 */
export function setupLiveDns(root, { form, config, apply }) {
  const resolvers = form?.choices?.dohResolvers ?? [];
  const maxLookups = form?.limits?.maxDnsLookups ?? 0;
  const timeoutMs = form?.limits?.dohTimeoutMs ?? 0;
  const inFlight = form?.limits?.dohInFlight ?? 1;
  const words = form?.words?.liveDns ?? {};
  const select = root.querySelector('#live-dns-resolver');
  const start = root.querySelector('#live-dns-start');
  const cancel = root.querySelector('#live-dns-cancel');
  const progress = root.querySelector('#live-dns-progress');
  const report = root.querySelector('#live-dns-report');
  replace(select, resolvers.map((r) => h('option', { value: r.value }, r.label)));
  start.disabled = resolvers.length === 0 || maxLookups <= 0;

  let run = null;  // {controller} while a check runs

  function setProgress(text, kind = 'info') {
    progress.textContent = text;
    progress.dataset.kind = kind;
  }

  async function check() {
    if (run) return;
    const resolver = resolvers.find((r) => r.value === select.value);
    if (!resolver) return;
    const controller = new AbortController();
    run = { controller };
    start.disabled = true;
    select.disabled = true;
    cancel.hidden = false;
    cancel.disabled = false;
    replace(report);
    const failures = [];
    const answers = [];
    const asked = new Set();
    let fresh = {};
    let done = 0;
    let left = 0;
    const show = () => setProgress(`Asking ${resolver.label}: ${plural(done, 'lookup')} done, ${number(left)} left.`);
    try {
      // Every record the analysis reads is asked again, into a zone of its own (as the CLI's
      // default), and merged into the config at the end: a record that changed is reported.
      for (;;) {
        const plan = await callCore('dns.plan', { config: config(), dns: fresh, limit: maxLookups });
        if (controller.signal.aborted) break;
        const room = maxLookups - done;
        const lookups = plan.lookups.filter((l) => !asked.has(`${l.type} ${l.name}`)).slice(0, Math.max(room, 0));
        if (plan.done || lookups.length === 0) {
          if (!plan.done) run.unfinished = plan.total;
          break;
        }
        for (const l of lookups) asked.add(`${l.type} ${l.name}`);
        left = lookups.length;
        show();
        const round = [];
        let next = 0;
        const worker = async () => {
          while (next < lookups.length && !controller.signal.aborted) {
            const lookup = lookups[next++];
            const result = await lookUp(resolver, lookup, controller.signal, { timeoutMs, words });
            if (controller.signal.aborted) return;
            ++done;
            --left;
            show();
            if (result.unaskable) {
              failures.push({ lookup, error: result.error });
              continue;
            }
            if (result.error) {
              failures.push({ lookup, error: result.error });
              round.push({ name: lookup.name, type: lookup.type, entries: { [lookup.name]: [{ type: 'TIMEOUT', data: lookup.type }] } });
            } else {
              round.push({ name: lookup.name, type: lookup.type, entries: result.entries });
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(inFlight, lookups.length) }, worker));
        if (controller.signal.aborted) break;
        if (round.length > 0) {
          fresh = (await callCore('dns.merge', { dns: fresh, answers: round, resolver: resolver.label, at: nowRfc3339() })).dns;
          answers.push(...round);
        }
        if (done >= maxLookups) {
          run.unfinished = (await callCore('dns.plan', { config: config(), dns: fresh, limit: maxLookups })).total;
          break;
        }
      }
      if (controller.signal.aborted) {
        setProgress(`Cancelled after ${plural(done, 'lookup')}: the config is unchanged.`, 'warning');
        return;
      }
      if (answers.length === 0) {
        setProgress(done === 0 ? 'Nothing to look up: the config names no record the analysis reads.' : `No answer was kept from ${resolver.label}: the config is unchanged.`, done === 0 ? 'ok' : 'warning');
        showReport(null, failures, run.unfinished);
        return;
      }
      // Into the config as it is now: edits made while the lookups ran are kept.
      const merged = await callCore('dns.merge', { config: config(), answers, resolver: resolver.label, at: nowRfc3339() });
      await apply(merged.config, `Check live DNS (${resolver.label})`);
      const { added, changed, unchanged } = merged.summary;
      setProgress(`Checked live DNS with ${resolver.label}: ${plural(done, 'lookup')}; records added ${added}, changed ${changed}, unchanged ${unchanged}.` +
        `${failures.length ? ` ${plural(failures.length, 'lookup')} failed and ${failures.length === 1 ? 'is' : 'are'} kept as temporary errors.` : ''} Undo takes it back.`,
      failures.length ? 'warning' : 'ok');
      showReport(merged, failures, run.unfinished);
    } catch (error) {
      setProgress(`Live DNS stopped: ${error.message}. The config is unchanged.`, 'error');
    } finally {
      run = null;
      start.disabled = false;
      select.disabled = false;
      cancel.hidden = true;
    }
  }

  /** What changed (core's changes and findings) and which lookups failed. */
  function showReport(merged, failures, unfinished) {
    const parts = [];
    const changes = (merged?.changes ?? []).filter((c) => c.change !== 'unchanged');
    if (changes.length) {
      parts.push(h('h3', {}, 'What changed'),
        h('ul', { class: 'live-dns-changes' }, changes.map((c) => h('li', { dataset: { change: c.change } },
          `${say(words, c.change === 'added' ? 'added' : 'changed')}: ${c.type} ${c.name}`))));
    }
    for (const f of merged?.findings ?? []) {
      parts.push(h('p', { class: `finding ${f.severity}`, dataset: { code: f.code } }, f.message, f.fix ? ` ${f.fix}` : ''));
    }
    if (failures.length) {
      parts.push(h('h3', {}, 'Lookups that failed'),
        h('ul', { class: 'live-dns-failures' }, failures.map((f) => h('li', {}, `${f.lookup.type} ${f.lookup.name}: ${f.error}`))));
    }
    if (unfinished) {
      parts.push(h('p', { class: 'finding warning' },
        `Stopped at the limit of ${plural(maxLookups, 'lookup')}: ${number(unfinished)} still needed; the analysis marks what they decide as assumed.`));
    }
    replace(report, ...parts);
  }

  start.addEventListener('click', () => { check(); });
  cancel.addEventListener('click', () => {
    if (!run) return;
    cancel.disabled = true;
    run.controller.abort();
  });
}

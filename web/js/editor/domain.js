// The domain section: a sending domain, its return path, its relays (at most core's limit) and
// its traffic. A card drawn folded is its header line only until it is first opened: a config of
// more domains than core's form.limits.foldDomainsAbove starts with every card so (editor/index.js).
import { h } from '../dom.js';
import { get, join, removeListItem } from '../pointer.js';
import { fieldsOf } from '../choices.js';
import { renderRelay, newRelay } from './relay.js';
import { renderTraffic } from './traffic.js';

/** A new domain: core's defaults (form.defaults.domain), with one new relay. */
export function newDomain(form) {
  return { ...structuredClone(form.defaults.domain), relays: [newRelay(form)] };
}

/** The domain at `base` (/domains/N). */
export function renderDomain(ui, form, domain, base, passwords) {
  const relays = Array.isArray(domain?.relays) ? domain.relays : [];
  const fields = fieldsOf(form.choices.returnPath, domain?.returnPath, form.defaults.domain.returnPath);
  const max = form.limits.maxRelaysPerDomain;
  const canAdd = relays.length < max;
  const title = domain?.name || '(unnamed)';
  const signsAtCrm = domain?.crmDkim?.enabled ?? form.defaults.domain.crmDkim?.enabled ?? true;
  const addRelay = () => {
    relays.push(newRelay(form));
    ui.edit(join(base, 'relays'), relays, true, `Add a relay to ${title}`);
  };
  const remove = () => {
    const index = Number(base.split('/').pop());
    get(ui.config, '/domains').splice(index, 1);
    // Kept by pointer: the passwords and folds of the later domains move with them.
    removeListItem(passwords, '/domains', index);
    removeListItem(ui.collapsed, '/domains', index);
    ui.onChange(true, `Remove domain ${title}`);
  };
  const folded = ui.collapsed.has(base);
  const name = h('strong', {}, title);
  const fold = h('button', {
    type: 'button', class: 'fold', 'aria-expanded': String(!folded), title: 'Fold or unfold this domain',
    onclick: () => {
      const open = fold.getAttribute('aria-expanded') !== 'true';
      if (open) build();
      fold.setAttribute('aria-expanded', String(open));
      card.classList.toggle('collapsed', !open);
      if (open) ui.collapsed.delete(base);
      else ui.collapsed.add(base);
    },
  }, h('span', { class: 'chevron', 'aria-hidden': 'true' }, '▸'), 'Domain ', name);
  // Filled by the findings (findings.js): how many errors and warnings core reports in this
  // domain, said on the header line while the card is folded.
  const counts = h('span', { class: 'fold-counts' });
  // The body: its relays, traffic, DKIM and DNS records. A card drawn folded is its header line
  // only, and its body is built the first time it is opened, then kept (issue 16: 500 domains
  // built 190,000 elements, off screen too); `data-unbuilt` marks it until then.
  const body = () => {
    // The title follows what is typed in the name field.
    const nameInput = ui.text(join(base, 'name'), 'example.com');
    nameInput.addEventListener('input', () => { name.textContent = nameInput.value || '(unnamed)'; });
    return [
      ui.labelled('/domains/*/name', join(base, 'name'), nameInput),
      ui.labelled('/domains/*/crmDkim/enabled', join(base, 'crmDkim', 'enabled'),
        ui.checkbox(join(base, 'crmDkim', 'enabled'), form.defaults.domain.crmDkim?.enabled ?? true, true)),
      signsAtCrm
        ? h('div', { class: 'grid' },
            ui.labelled('/domains/*/crmDkim/domain', join(base, 'crmDkim', 'domain'), ui.text(join(base, 'crmDkim', 'domain'), domain?.name ?? '')),
            ui.labelled('/domains/*/crmDkim/selector', join(base, 'crmDkim', 'selector'), ui.redrawnOnChange(ui.text(join(base, 'crmDkim', 'selector')))))
        : null,
      ui.labelled('/domains/*/returnPath', join(base, 'returnPath'), ui.select(join(base, 'returnPath'), form.choices.returnPath)),
      'returnPathAddress' in fields
        ? ui.labelled('/domains/*/returnPathAddress', join(base, 'returnPathAddress'), ui.text(join(base, 'returnPathAddress'), 'bounce@example.com'))
        : null,
      relays.map((relay, r) => renderRelay(ui, form, relay, join(base, 'relays', r), passwords)),
      h('div', { class: 'row' },
        h('button', { type: 'button', disabled: !canAdd, title: canAdd ? '' : `At most ${max} relay servers per domain`, onclick: addRelay }, '+ relay'),
        h('button', { type: 'button', class: 'danger', onclick: remove }, 'Remove domain')),
      renderTraffic(ui, form, join(base, 'traffic')),
      renderDnsRecords(ui, domain),
    ];
  };
  const card = h('fieldset', { class: `card domain${folded ? ' collapsed' : ''}`, dataset: { path: base } },
    h('legend', {}, fold, counts),
    ...(folded ? [] : body()));
  const build = () => {
    if (!('unbuilt' in card.dataset)) return;
    delete card.dataset.unbuilt;
    card.append(...h('div', {}, ...body()).childNodes);  // h() leaves out the parts not shown
    ui.onBuild?.(card);
  };
  if (folded) {
    card.dataset.unbuilt = 'true';
    builders.set(card, build);
  }
  return card;
}

/** The builders of the cards drawn folded and not built yet. */
const builders = new WeakMap();

/** Builds the body of the domain card `card` if it was drawn folded and never opened (it stays
 *  folded); false when there was nothing to build. */
export function buildDomainCard(card) {
  const build = builders.get(card);
  if (!build || !('unbuilt' in card.dataset)) return false;
  build();
  return true;
}

/**
 * The DNS records that decide this domain's outcomes, pasted as text: its SPF record, its DMARC
 * record, and the DKIM key of each selector entered (the CRM's and its relays'). Each box edits
 * the config's `dns` zone map, as `relaycheck dns fetch` fills it; a record typed here is one
 * "entered in the config", so its fetched time and resolver go.
 */
function renderDnsRecords(ui, domain) {
  const name = String(domain?.name ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (name === '') return null;
  const selectors = [domain?.crmDkim?.selector, ...(domain?.relays ?? []).map((r) => (r?.dkim?.signs ? r?.dkim?.selector : null))]
    .filter((s) => typeof s === 'string' && s.trim() !== '')
    .map((s) => s.trim().toLowerCase());
  return h('details', { class: 'dns-records' },
    h('summary', {}, ui.labels['/dns']?.label ?? 'DNS records'),
    ui.txtRecord(name, /^v=spf1(\s|$)/i, `SPF: TXT ${name}`, 'v=spf1 ip4:… include:… ~all'),
    ui.txtRecord(`_dmarc.${name}`, /^v=DMARC1/i, `DMARC: TXT _dmarc.${name}`, 'v=DMARC1; p=…'),
    [...new Set(selectors)].map((s) => ui.txtRecord(`${s}._domainkey.${name}`, /.*/, `DKIM key: TXT ${s}._domainkey.${name}`, 'v=DKIM1; k=rsa; p=…')));
}

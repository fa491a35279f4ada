// The configuration editor: a form over the config object. Every field carries the JSON Pointer
// of the value it edits, so that findings from core can be shown beside it. It decides nothing:
// whatever is typed goes into the config as it is, and core says what is wrong with it.
import { h } from './dom.js';
import { get, set, join } from './pointer.js';

const EMAIL_TYPES = ['workflow', 'mass', 'individual'];

/**
 * Renders the editor for `config` into `root`. `onChange(structural)` is called after every edit;
 * `structural` is true when the form's shape changed (a relay added, a mode switched) and the
 * editor must be drawn again. `passwords` holds passwords in memory only, by relay pointer.
 */
export function renderEditor(root, config, { onChange, passwords, limits }) {
  const field = (label, pointer, input, hint) =>
    h('div', { class: 'field', dataset: { path: pointer } }, h('label', {}, h('span', { class: 'label' }, label), input), hint ? h('small', { class: 'hint' }, hint) : null);

  const edit = (pointer, value, structural = false) => {
    set(config, pointer, value);
    onChange(structural);
  };

  const text = (pointer, placeholder = '') =>
    h('input', { type: 'text', value: get(config, pointer) ?? '', placeholder, spellcheck: false, oninput: (e) => edit(pointer, e.target.value) });

  // Whole numbers go in as numbers; anything else goes in as typed, for core to report.
  const integer = (pointer, placeholder = '') => {
    const current = get(config, pointer);
    return h('input', {
      type: 'text', inputmode: 'numeric', value: current ?? '', placeholder,
      oninput: (e) => {
        const raw = e.target.value.trim();
        edit(pointer, raw === '' ? undefined : /^-?\d+$/.test(raw) ? Number(raw) : raw);
      },
    });
  };

  // A whole number that may be absent: an empty box writes null.
  const optionalInteger = (pointer, placeholder = '') => {
    const current = get(config, pointer);
    return h('input', {
      type: 'text', inputmode: 'numeric', value: current ?? '', placeholder,
      oninput: (e) => {
        const raw = e.target.value.trim();
        edit(pointer, raw === '' ? null : /^-?\d+$/.test(raw) ? Number(raw) : raw);
      },
    });
  };

  // Numbers separated by commas or spaces (hourly weights); an entry that is not a whole number
  // goes in as typed, for core to point at.
  const numberList = (pointer, placeholder) => {
    const current = get(config, pointer);
    return h('input', {
      type: 'text', spellcheck: false, placeholder, value: Array.isArray(current) ? current.join(', ') : '',
      oninput: (e) => edit(pointer, e.target.value.split(/[\s,]+/).filter(Boolean).map((w) => (/^-?\d+$/.test(w) ? Number(w) : w))),
    });
  };

  const checkbox = (pointer, fallback) =>
    h('input', { type: 'checkbox', checked: get(config, pointer) ?? fallback, onchange: (e) => edit(pointer, e.target.checked) });

  const select = (pointer, options, structural = false, convert = (v) => v) => {
    const current = get(config, pointer);
    const element = h('select', { onchange: (e) => edit(pointer, convert(e.target.value), structural) },
      options.map(([value, label]) => h('option', { value, selected: value === current }, label)));
    if (current !== undefined && !options.some(([v]) => v === current)) {
      element.prepend(h('option', { value: String(current), selected: true }, String(current)));
    }
    return element;
  };

  // One entry per line: lists of networks and addresses.
  const lines = (pointer, placeholder) => {
    const current = get(config, pointer);
    return h('textarea', {
      rows: 3, placeholder, spellcheck: false,
      value: Array.isArray(current) ? current.join('\n') : '',
      oninput: (e) => edit(pointer, e.target.value.split('\n').map((l) => l.trim()).filter(Boolean)),
    });
  };

  const account = h('fieldset', { class: 'card' },
    h('legend', {}, 'Account'),
    field('CRM data centre', '/account/dataCenter', select('/account/dataCenter', [['US', 'US (crm.zoho.com)'], ['EU', 'EU (crm.zoho.eu)'], ['IN', 'IN (crm.zoho.in)'], ['AU', 'AU (crm.zoho.com.au)'], ['CN', 'CN (crm.zoho.cn)'], ['custom', 'Custom ranges']], true)),
    get(config, '/account/dataCenter') === 'custom' || (get(config, '/account/crmRanges') ?? []).length
      ? field('CRM source ranges (replace the built-in list)', '/account/crmRanges', lines('/account/crmRanges', '136.143.176.0/21'))
      : null,
    field("Edition's daily email limit", '/account/editionDailyLimit', integer('/account/editionDailyLimit', '5000')),
    field('Time zone', '/account/timeZone', text('/account/timeZone', 'Europe/Berlin')),
    field('CRM signs DKIM', '/account/crmDkim', checkbox('/account/crmDkim', true)),
    field("CRM bounce domains (to be supplied: the source lists none)", '/account/bounceDomains', lines('/account/bounceDomains', 'one domain per line')),
  );

  const domains = Array.isArray(config.domains) ? config.domains : [];
  const domainCards = domains.map((domain, d) => renderDomain(domain, join('/domains', d)));

  function renderDomain(domain, base) {
    const relays = Array.isArray(domain?.relays) ? domain.relays : [];
    const mode = domain?.returnPath ?? 'crm';
    const canAdd = relays.length < limits.maxRelaysPerDomain;
    return h('fieldset', { class: 'card domain', dataset: { path: base } },
      h('legend', {}, 'Domain ', h('strong', {}, domain?.name || '(unnamed)')),
      field('Domain name', join(base, 'name'), text(join(base, 'name'), 'zylker.com')),
      field('Return path', join(base, 'returnPath'), select(join(base, 'returnPath'), [
        ['crm', 'The CRM (bounce management on)'],
        ['from-address', 'The From address (bounce management off)'],
        ['custom-address', 'A custom address (bounce management off)'],
      ], true)),
      mode === 'custom-address' ? field('Return-path address', join(base, 'returnPathAddress'), text(join(base, 'returnPathAddress'), 'bounce@zylker.com')) : null,
      relays.map((relay, r) => renderRelay(relay, join(base, 'relays', r))),
      h('div', { class: 'row' },
        h('button', { type: 'button', disabled: !canAdd, title: canAdd ? '' : `At most ${limits.maxRelaysPerDomain} relay servers per domain`,
          onclick: () => { relays.push(newRelay()); set(config, join(base, 'relays'), relays); onChange(true); } }, '+ relay'),
        h('button', { type: 'button', class: 'danger', onclick: () => { config.domains.splice(Number(base.split('/').pop()), 1); onChange(true); } }, 'Remove domain')),
      renderTraffic(join(base, 'traffic')),
    );
  }

  function renderRelay(relay, base) {
    const auth = relay?.auth ?? 'password';
    const types = Array.isArray(relay?.emailTypes) ? relay.emailTypes : [];
    return h('fieldset', { class: 'relay', dataset: { path: base } },
      h('legend', {}, 'Relay ', h('strong', {}, relay?.host || '(no host)')),
      h('div', { class: 'grid' },
        field('Host', join(base, 'host'), text(join(base, 'host'), 'smtp.zylker.com')),
        field('Port', join(base, 'port'), select(join(base, 'port'), [[25, '25'], [465, '465'], [587, '587']], false, (v) => (/^\d+$/.test(v) ? Number(v) : v))),
        field('Security', join(base, 'security'), select(join(base, 'security'), [['starttls', 'STARTTLS ("TLS")'], ['implicit-tls', 'Implicit TLS ("SSL")'], ['none', 'None']])),
        field('Daily limit', join(base, 'dailyLimit'), integer(join(base, 'dailyLimit'), '2000')),
      ),
      h('div', { class: 'grid' },
        field('Verify certificate', join(base, 'verifyCertificate'), checkbox(join(base, 'verifyCertificate'), true)),
        field('Host name on the certificate', join(base, 'certificateHost'), text(join(base, 'certificateHost'), 'smtp.zylker.com')),
      ),
      field('Authentication', join(base, 'auth'), select(join(base, 'auth'), [['password', 'User name and password'], ['ip-whitelist', 'IP whitelist (open relay)']], true)),
      auth === 'password'
        ? h('div', { class: 'grid' },
            field('User name', join(base, 'username'), text(join(base, 'username'))),
            field('Password (kept in this tab only, never saved)', join(base, 'password'),
              h('input', { type: 'password', autocomplete: 'off', value: passwords.get(base) ?? '', oninput: (e) => passwords.set(base, e.target.value) })))
        : field('Networks the relay accepts mail from', join(base, 'allowedNetworks'), lines(join(base, 'allowedNetworks'), '136.143.176.0/21')),
      field('Carries', join(base, 'emailTypes'), h('div', { class: 'row' }, EMAIL_TYPES.map((type) =>
        h('label', { class: 'check' }, h('input', {
          type: 'checkbox', checked: types.includes(type),
          onchange: (e) => {
            const next = types.filter((t) => t !== type);
            if (e.target.checked) next.push(type);
            edit(join(base, 'emailTypes'), EMAIL_TYPES.filter((t) => next.includes(t)).concat(next.filter((t) => !EMAIL_TYPES.includes(t))), true);
          },
        }), ` ${type}`)))),
      field("Relay's outbound IPs (for SPF)", join(base, 'outboundIps'), lines(join(base, 'outboundIps'), '203.0.113.25')),
      h('div', { class: 'row' },
        field('Modifies messages (footers, disclaimers)', join(base, 'modifiesMessages'), checkbox(join(base, 'modifiesMessages'), false)),
        field('Signs DKIM itself', join(base, 'signsDkim'), checkbox(join(base, 'signsDkim'), false)),
        field('Rewrites the return path', join(base, 'rewritesReturnPath'), checkbox(join(base, 'rewritesReturnPath'), false))),
      field('Down from hour (0-23; empty: no outage)', join(base, 'outageFromHour'), optionalInteger(join(base, 'outageFromHour'), 'no outage')),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'danger', onclick: () => {
          const parts = base.split('/');
          get(config, parts.slice(0, -1).join('/')).splice(Number(parts.at(-1)), 1);
          passwords.clear();
          onChange(true);
        } }, 'Remove relay')),
    );
  }

  function renderTraffic(base) {
    return h('fieldset', { class: 'traffic', dataset: { path: base } },
      h('legend', {}, 'Expected daily volume'),
      EMAIL_TYPES.map((type) => {
        const p = join(base, type);
        const profile = get(config, join(p, 'profile')) ?? 'office-hours';
        return h('div', { class: 'grid' },
          field(`${type}: emails a day`, join(p, 'daily'), integer(join(p, 'daily'), '0')),
          field('spread', join(p, 'profile'), select(join(p, 'profile'), [['office-hours', 'office hours'], ['burst', 'one campaign burst'], ['flat', 'flat'], ['custom', 'custom weights']], true)),
          profile === 'burst' ? field('burst at hour', join(p, 'burstHour'), integer(join(p, 'burstHour'), '9')) : null,
          profile === 'custom' ? field('24 hourly weights, from 00:00', join(p, 'weights'), numberList(join(p, 'weights'), '0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, …')) : null);
      }));
  }

  root.replaceChildren(account, ...domainCards,
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => {
      config.domains = domains;
      domains.push({ name: '', returnPath: 'crm', relays: [newRelay()] });
      onChange(true);
    } }, '+ domain')));
}

function newRelay() {
  return { host: '', port: 587, security: 'starttls', verifyCertificate: true, certificateHost: '', auth: 'password', username: '', dailyLimit: 0, emailTypes: [] };
}

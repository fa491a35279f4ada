// The relay section: one relay server of a domain, its connection, its authentication, what it
// carries and how it treats the mail.
import { h } from '../dom.js';
import { get, join, removeListItem } from '../pointer.js';
import { fieldsOf } from '../choices.js';

/** The pattern of a relay's members in core's table of field labels (form.fields). */
const R = '/domains/*/relays/*';

/** A new relay: core's defaults (form.defaults.relay). */
export function newRelay(form) {
  return structuredClone(form.defaults.relay);
}

function connection(ui, form, base) {
  const toPort = (v) => (/^\d+$/.test(v) ? Number(v) : v);
  return [
    h('div', { class: 'grid' },
      ui.labelled(`${R}/host`, join(base, 'host'), ui.text(join(base, 'host'), 'smtp.example.com')),
      ui.labelled(`${R}/port`, join(base, 'port'), ui.select(join(base, 'port'), form.choices.port, { convert: toPort })),
      ui.labelled(`${R}/security`, join(base, 'security'), ui.select(join(base, 'security'), form.choices.security)),
      ui.labelled(`${R}/dailyLimit`, join(base, 'dailyLimit'), ui.integer(join(base, 'dailyLimit'), String(form.defaults.relay.dailyLimit)))),
    h('div', { class: 'grid' },
      ui.labelled(`${R}/verifyCertificate`, join(base, 'verifyCertificate'), ui.checkbox(join(base, 'verifyCertificate'), form.defaults.relay.verifyCertificate)),
      ui.labelled(`${R}/certificateHost`, join(base, 'certificateHost'), ui.text(join(base, 'certificateHost'), 'smtp.example.com'))),
  ];
}

// The fields of the chosen authentication are those core writes with it: a user name (and the
// password, which only this tab keeps), or the networks the relay accepts mail from.
function authentication(ui, form, base, passwords) {
  const auth = get(ui.config, join(base, 'auth'));
  const fields = fieldsOf(form.choices.auth, auth, form.defaults.relay.auth);
  return [
    ui.labelled(`${R}/auth`, join(base, 'auth'), ui.select(join(base, 'auth'), form.choices.auth)),
    'username' in fields
      ? h('div', { class: 'grid' },
          ui.labelled(`${R}/username`, join(base, 'username'), ui.text(join(base, 'username'))),
          ui.labelled(`${R}/password`, join(base, 'password'),
            h('input', { type: 'password', dir: 'ltr', autocomplete: 'off', value: passwords.get(base) ?? '', oninput: (e) => passwords.set(base, e.target.value) })))
      : null,
    'allowedNetworks' in fields
      ? ui.labelled(`${R}/allowedNetworks`, join(base, 'allowedNetworks'), ui.pastedLines(join(base, 'allowedNetworks'), 'one network per line, in CIDR form; paste a list as it is'))
      : null,
  ];
}

function behaviour(ui, form, base) {
  const defaults = form.defaults.relay;
  const lastHour = form.limits.hoursPerDay - 1;
  return [
    ui.labelledGroup(`${R}/emailTypes`, join(base, 'emailTypes'), ui.checkboxes(join(base, 'emailTypes'), form.choices.emailTypes)),
    ui.labelled(`${R}/outboundIps`, join(base, 'outboundIps'), ui.pastedLines(join(base, 'outboundIps'), 'one address per line', { addressesOnly: true })),
    h('div', { class: 'row' },
      ui.labelled(`${R}/modifiesMessages`, join(base, 'modifiesMessages'), ui.checkbox(join(base, 'modifiesMessages'), defaults.modifiesMessages)),
      ui.labelled(`${R}/dkim/signs`, join(base, 'dkim', 'signs'), ui.checkbox(join(base, 'dkim', 'signs'), defaults.dkim?.signs ?? false, true)),
      ui.labelled(`${R}/rewritesReturnPath`, join(base, 'rewritesReturnPath'), ui.checkbox(join(base, 'rewritesReturnPath'), defaults.rewritesReturnPath, true))),
    get(ui.config, join(base, 'dkim', 'signs')) ?? defaults.dkim?.signs ?? false
      ? h('div', { class: 'grid' },
          ui.labelled(`${R}/dkim/domain`, join(base, 'dkim', 'domain'), ui.text(join(base, 'dkim', 'domain'))),
          ui.labelled(`${R}/dkim/selector`, join(base, 'dkim', 'selector'), ui.redrawnOnChange(ui.text(join(base, 'dkim', 'selector')))))
      : null,
    get(ui.config, join(base, 'rewritesReturnPath')) ?? defaults.rewritesReturnPath
      ? ui.labelled(`${R}/returnPathDomain`, join(base, 'returnPathDomain'), ui.text(join(base, 'returnPathDomain'), 'bounces.relay-provider.example'))
      : null,
    ui.labelled(`${R}/outageFromHour`, join(base, 'outageFromHour'), ui.integer(join(base, 'outageFromHour'), `0-${lastHour}`, null)),
  ];
}

/** The relay at `base` (…/relays/N); `passwords` holds passwords in memory only, by pointer. */
export function renderRelay(ui, form, relay, base, passwords) {
  const remove = () => {
    const parts = base.split('/');
    const list = parts.slice(0, -1).join('/');
    get(ui.config, list).splice(Number(parts.at(-1)), 1);
    // Kept by pointer: the passwords and folds of the later relays move with them.
    removeListItem(passwords, list, Number(parts.at(-1)));
    removeListItem(ui.collapsed, list, Number(parts.at(-1)));
    ui.onChange(true, `Remove relay ${relay?.host || '(no host)'}`);
  };
  const title = h('strong', {}, relay?.host || '(no host)');
  const parts = connection(ui, form, base);
  // The title follows what is typed in the host field.
  parts[0].querySelector(`[data-path="${join(base, 'host')}"] input`)
    ?.addEventListener('input', (e) => { title.textContent = e.target.value || '(no host)'; });
  return h('fieldset', { class: 'relay', dataset: { path: base } },
    h('legend', {}, 'Relay ', title),
    parts,
    authentication(ui, form, base, passwords),
    behaviour(ui, form, base),
    h('div', { class: 'row' }, h('button', { type: 'button', class: 'danger', onclick: remove }, 'Remove relay')));
}

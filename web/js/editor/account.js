// The account section: the CRM's data centre and ranges, the edition's limit, the time zone.
import { h } from '../dom.js';

export function renderAccount(ui, form) {
  const { choices, defaults, fields } = form;
  // Each member's label is core's (form.fields), under its pointer, which here is its pattern.
  const at = (pointer, input) => ui.labelled(pointer, pointer, input);
  return h('fieldset', { class: 'card' },
    h('legend', {}, fields?.['/account']?.label ?? 'Account'),
    at('/account/dataCenter', ui.select('/account/dataCenter', choices.dataCenter)),
    at('/account/crmRanges', ui.pastedLines('/account/crmRanges', 'one range per line, in CIDR form; paste a list as it is')),
    at('/account/editionDailyLimit', ui.integer('/account/editionDailyLimit')),
    at('/account/timeZone', ui.text('/account/timeZone', defaults.account.timeZone)),
    at('/account/bounceDomains', ui.lines('/account/bounceDomains', 'one domain per line')),
  );
}

// The account section: the CRM's data centre and ranges, the edition's limit, the time zone.
import { h } from '../dom.js';

export function renderAccount(ui, form) {
  const { choices, defaults } = form;
  return h('fieldset', { class: 'card' },
    h('legend', {}, 'Account'),
    ui.field('CRM data centre', '/account/dataCenter', ui.select('/account/dataCenter', choices.dataCenter)),
    ui.field('CRM source ranges (replace the built-in list)', '/account/crmRanges', ui.lines('/account/crmRanges', 'one range per line, in CIDR form')),
    ui.field("Edition's daily email limit", '/account/editionDailyLimit', ui.integer('/account/editionDailyLimit')),
    ui.field('Time zone', '/account/timeZone', ui.text('/account/timeZone', defaults.account.timeZone)),
    ui.field('CRM bounce domains (to be supplied: the source lists none)', '/account/bounceDomains', ui.lines('/account/bounceDomains', 'one domain per line')),
  );
}

// The DNS panel: per domain, core's `dnsPanel` of the analysis report laid out. The SPF include
// tree as nested lists with what each term costs and the total against the limit of 10, the
// records to publish with copy buttons, the DMARC and DKIM records as core reads them, each
// with where it came from. Core reads every record and writes every sentence; this only draws,
// with createElement and textContent (dom.js), so a hostile record stays text.
import { h, number, plural, replace } from './dom.js';

/** A copy button for `text`: "Copied" when the clipboard took it; else the text is selected. */
function copyButton(text, target, label) {
  const button = h('button', {
    type: 'button', class: 'copy', 'aria-label': label,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        const range = document.createRange();
        range.selectNodeContents(target);
        const selection = getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
      setTimeout(() => { button.textContent = 'Copy'; }, 2000);
    },
  }, 'Copy');
  return button;
}

const source = (entry) => (entry?.source?.text
  ? h('span', { class: `dns-source source-${entry.source.kind}` }, entry.source.text) : null);

/** One record of the include tree and its terms; a term's branch is a nested list. The tree is
 *  walked with an explicit stack: its depth is core's (bounded), never the call stack's. */
function tree(root) {
  const top = h('ul', { class: 'spf-tree' });
  const stack = [{ node: root, list: top }];
  while (stack.length) {
    const { node, list } = stack.pop();
    const terms = h('ul', {});
    list.append(h('li', { class: `spf-node status-${String(node.status).replace(/[^a-z]/g, '')}` },
      h('span', { class: 'spf-domain' }, node.domain),
      ' ', h('span', { class: 'spf-cost', dataset: { cost: String(node.cost) } }, `${plural(node.cost, 'lookup')}`),
      node.status === 'ok' ? [' ', h('code', { class: 'spf-record' }, node.record)] : [' ', h('span', { class: 'spf-status' }, node.status)],
      node.error ? [' ', h('span', { class: 'spf-error' }, node.error)] : null,
      ' ', source(node),
      terms));
    for (const term of node.terms ?? []) {
      const item = h('li', { class: 'spf-term' },
        h('code', {}, term.term),
        term.cost > 0 ? h('span', { class: 'spf-cost', dataset: { cost: String(term.cost) } }, ` +${term.cost} = ${term.total}`) : null,
        term.void ? h('span', { class: 'spf-void' }, ' void lookup') : null,
        term.note ? h('span', { class: 'muted' }, ` (${term.note})`) : null);
      terms.append(item);
      if (term.branch) {
        const nested = h('ul', {});
        item.append(nested);
        stack.push({ node: term.branch, list: nested });
      }
    }
  }
  return top;
}

function spfSection(spf) {
  const over = spf.lookups > spf.lookupLimit;
  return h('section', { class: 'dns-spf' },
    h('h4', {}, 'SPF'),
    h('p', { class: `spf-total${over ? ' over' : ''}` },
      h('strong', {}, `${number(spf.lookups)} of ${number(spf.lookupLimit)}`), ' DNS lookups',
      spf.voidLookups ? `, ${plural(spf.voidLookups, 'void lookup')} of ${spf.voidLimit}` : '',
      spf.complete ? '' : ' (more once the missing records are fetched)'),
    h('p', { class: 'hint' }, spf.scope),
    tree(spf.tree),
    spf.findings?.length ? h('ul', { class: 'dns-notes' }, spf.findings.map((f) => h('li', { class: f.severity }, f.message))) : null);
}

function publishItem(record) {
  const value = h('code', { class: 'dns-value' }, record.value ?? '');
  return h('li', { class: `dns-publish ${record.changed ? 'changed' : 'unchanged'}` },
    h('div', { class: 'dns-name' }, h('code', {}, record.name), ' ', record.type),
    record.value ? h('div', { class: 'row' }, value, copyButton(record.value, value, `Copy the ${record.kind.toUpperCase()} record of ${record.name}`)) : null,
    h('p', { class: 'hint' }, record.reason),
    record.findings?.length ? h('ul', { class: 'dns-notes' }, record.findings.map((f) => h('li', { class: f.severity }, f.message))) : null);
}

function dmarcSection(dmarc) {
  return h('section', { class: 'dns-dmarc' },
    h('h4', {}, 'DMARC'),
    h('p', {}, h('code', {}, dmarc.name), ' ', source(dmarc)),
    dmarc.record ? h('p', {}, h('code', { class: 'dns-record' }, dmarc.record)) : null,
    dmarc.status === 'found' ? h('p', { class: 'dmarc-policy' }, 'Policy ', h('strong', {}, `p=${dmarc.policy}`),
      dmarc.applied && dmarc.applied !== dmarc.policy ? ` (receivers apply ${dmarc.applied})` : null) : null,
    h('p', { class: 'hint' }, dmarc.reason));
}

function dkimSection(dkim) {
  if (!dkim?.length) return null;
  return h('section', { class: 'dns-dkim' },
    h('h4', {}, 'DKIM'),
    h('ul', {}, dkim.map((k) => h('li', { class: `dkim-${k.status}` },
      h('strong', {}, k.signer === 'crm' ? 'The CRM' : `Relay ${k.relay}`), ` signs with d=${k.domain}`,
      k.name ? [' at ', h('code', {}, k.name)] : null, ': ', k.text, ' ', source(k),
      k.record ? h('div', {}, h('code', { class: 'dns-record' }, k.record)) : null))));
}

const nameOf = (panel) => panel.name || panel.ascii || `#${panel.domain}`;

/** What a domain's article holds under its name. */
function domainBody(panel) {
  return [
    panel.text ? h('p', {}, panel.text) : null,
    panel.publish?.length ? h('section', { class: 'dns-publish-list' },
      h('h4', {}, 'Records to publish'),
      h('ul', {}, panel.publish.map(publishItem))) : null,
    panel.missing?.length ? h('section', { class: 'dns-missing' },
      h('h4', {}, 'Still missing'),
      h('ul', {}, panel.missing.map((m) => h('li', {}, m.text)))) : null,
    panel.spf ? spfSection(panel.spf) : null,
    panel.dmarc ? dmarcSection(panel.dmarc) : null,
    dkimSection(panel.dkim),
  ];
}

function domainPanel(panel) {
  return h('article', { class: 'dns-domain', dataset: { domain: String(panel.domain) } },
    h('h3', {}, nameOf(panel)), domainBody(panel));
}

/** A domain's article folded to its name, its records drawn when it is first opened (its summary
 *  clicked or pressed, or opened otherwise); `opened` holds the domains the admin left open. */
function foldedPanel(panel, opened) {
  const details = h('details', { class: 'dns-fold' }, h('summary', { onclick: () => build() }, h('h3', {}, nameOf(panel))));
  const article = h('article', { class: 'dns-domain', dataset: { domain: String(panel.domain), unbuilt: 'true' } }, details);
  const build = () => {
    if (!('unbuilt' in article.dataset)) return;
    delete article.dataset.unbuilt;
    details.append(...domainBody(panel).filter(Boolean));
  };
  details.addEventListener('toggle', () => {
    if (details.open) {
      build();
      opened.add(panel.domain);
    } else {
      opened.delete(panel.domain);
    }
  });
  if (opened.has(panel.domain)) {
    build();
    details.open = true;
  }
  return article;
}

/** What each root last drew: whether its domains were folded, the domains the admin opened, and
 *  the articles by the entry each was drawn from. Core's answers share what did not change
 *  (answer-delta.js), so an entry that reads as before is the very object drawn before: its
 *  article is kept, not drawn again (a copy button's "Copied" may stay a moment). */
const drawnDomains = new WeakMap();

/** Draws the DNS panel; `pause` (optional) is awaited between domains: false when the drawing is
 *  no longer wanted, and the panel shown stays as it was. Resolves to false when it stopped so.
 *
 *  On a config past core's limit of open cards (form.limits.foldDomainsAbove, as `folds` says)
 *  each domain is drawn folded to its name, as the domain cards are, and its records are drawn
 *  when it is opened (issue 16: 500 domains' records drawn open were 0.12 s of every import, and
 *  more of layout). Such a domain prints as its name. */
export async function renderDnsPanel(root, report, pause = async () => true, folds = false) {
  const panel = report?.dnsPanel;
  if (!Array.isArray(panel) || panel.length === 0) {
    drawnDomains.delete(root);
    replace(root);
    return true;
  }
  const last = drawnDomains.get(root);
  const opened = last?.opened ?? new Set();
  const before = last?.folds === folds ? last.articles : new Map();
  const kept = new Map();
  const articles = [];
  for (const entry of panel) {
    if (!(await pause())) return false;
    const article = before.get(entry)?.shift() ?? (folds ? foldedPanel(entry, opened) : domainPanel(entry));
    if (!kept.has(entry)) kept.set(entry, []);
    kept.get(entry).push(article);
    articles.push(article);
  }
  drawnDomains.set(root, { folds, opened, articles: kept });
  replace(root,
    h('h2', {}, 'DNS records'),
    h('p', { class: 'hint' }, 'What each domain publishes, as receivers read it, and what to publish so that the relays pass.'),
    articles);
  return true;
}

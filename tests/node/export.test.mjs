// The report for a change ticket from the wasm build: report.render answers the same sections as
// the native build (tests/unit/export/test_export.cpp), and hostile text from a config stays
// inert in both formats. The vector harness compares strings whole, so the text is checked here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call, repoRoot } from './core.mjs';

const example = JSON.parse(readFileSync(join(repoRoot, 'core', 'data', 'example-zylker.json'), 'utf8'));
const render = async (config, format) => {
  const response = JSON.parse(await call('report.render', JSON.stringify({ config, format })));
  assert.equal(response.ok, true, JSON.stringify(response.error));
  return response.result;
};

/** The Markdown outside its fenced blocks (inside one, text is literal: CommonMark §4.5). */
function outsideFences(markdown) {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced;
  }).join('\n');
}

test('the wasm build renders the example as HTML and Markdown with every section', async () => {
  const html = await render(example, 'html');
  assert.equal(html.filename, 'relaycheck-report-zylker.com.html');
  for (const s of ['Verdict', 'Findings', 'Outcomes', 'Day plan', 'DNS records', 'Whitelist snippets']) {
    assert.ok(html.text.includes(`<h2>${s}</h2>`), s);
  }
  const md = await render(example, 'markdown');
  assert.equal(md.mediaType, 'text/markdown;charset=utf-8');
  assert.ok(md.text.includes('include:zohomail.com  +1 = 1'));
  assert.ok(md.text.includes('| Day | 2,000 | 2,300 | 0 |'));
});

test('hostile text stays inert in the wasm build\'s reports', async () => {
  const config = structuredClone(example);
  const evil = '<script>alert(1)</script> "q" & a|b \u202Egnp.exe';
  config.domains.push({ ...structuredClone(config.domains[0]), name: evil });
  config.dns['zylker.com'] = [{ type: 'TXT', data: [`v=spf1 ${evil} ~all`] }];
  const { text: html } = await render(config, 'html');
  assert.ok(!/<script/i.test(html));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; a|b ‹U+202E›gnp.exe'));
  assert.ok(!html.includes('\u202E'));
  const { text: md } = await render(config, 'markdown');
  const prose = outsideFences(md);
  assert.ok(!/(^|[^\\])<script/.test(prose));
  assert.ok(prose.includes('\\<script\\>alert(1)\\</script\\> "q" \\& a\\|b ‹U+202E›gnp.exe'));
  assert.ok(!md.includes('\u202E'));
});

// The report for a change ticket: core renders the analysis as one HTML page or as Markdown
// (`report.render`), and this saves core's text under core's file name. Nothing is decided or
// written here but the download itself.
import { callCore } from './core-client.js';

/** Asks core for the report of `config` in `format` ("html" or "markdown") and downloads it. */
export async function downloadReport(config, format) {
  const { text, filename, mediaType } = await callCore('report.render', { config, format });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: mediaType }));
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  return filename;
}

/** Wires the two buttons; `config()` gives the config as it is now, `status(text, kind)` says what happened. */
export function setupReportExport({ html, markdown }, { config, status }) {
  const run = (format, button) => async () => {
    button.disabled = true;
    try {
      const name = await downloadReport(config(), format);
      status(`Report saved as ${name}.`, 'ok');
    } catch (error) {
      status(`The report was not made: ${error.message}`, 'error');
    } finally {
      button.disabled = false;
    }
  };
  html.addEventListener('click', run('html', html));
  markdown.addEventListener('click', run('markdown', markdown));
}

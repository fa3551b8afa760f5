import { STATUS_CODES } from 'node:http';
import type { BlockedRequest, ErrorPage } from './options';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The page sent when a request is blocked: the status, and the id to quote when asking why. Nothing about the rule. */
export function defaultErrorPage(blocked: BlockedRequest): ErrorPage {
  const reason = STATUS_CODES[blocked.status] ?? 'Error';
  const title = `${blocked.status} ${escapeHtml(reason)}`;
  const what = blocked.interruption === undefined ? 'The request could not be checked.' : 'The request was blocked.';
  const body =
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body><h1>${title}</h1><p>${what} Reference: <code>${escapeHtml(blocked.id)}</code></p></body></html>\n`;
  return { body, contentType: 'text/html; charset=utf-8' };
}

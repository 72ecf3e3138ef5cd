import type { ProjectStatus } from '../db/schema-tracker.js';
import { trackerBase, type TrackerRow, type UpdateRow } from './model.js';

/** Said in a feed reader when the council set no label of its own. */
const DEFAULT_LABELS: Record<ProjectStatus, string> = { planned: 'Planned', 'in-progress': 'In progress', done: 'Done', cancelled: 'Cancelled' };

export interface FeedInput {
  tracker: TrackerRow;
  /** Newest first. */
  entries: Array<UpdateRow & { project_title: string }>;
  /** The feed's own address, as the reader asked for it. */
  selfUrl: string;
  /** The host name that mints the feed's tag: URIs when the tracker has no public page. */
  host: string;
}

/**
 * An Atom 1.0 document (RFC 4287) of a tracker's project updates. Ids are tag: URIs (RFC 4151)
 * minted by the council's page host (or this server's) on the day the tracker was created, so
 * they never change; every text goes through `xml()`, council HTML included, as escaped content.
 */
export function atomFeed({ tracker, entries, selfUrl, host }: FeedInput): { xml: string; updated: string } {
  const base = trackerBase(tracker);
  const labels = { ...DEFAULT_LABELS, ...base.statusLabels };
  // The page's host mints the ids; a page URL the schema let through but URL cannot read leaves this server's.
  const pageHost = base.pageUrl && URL.canParse(base.pageUrl) ? new URL(base.pageUrl).hostname : '';
  const authority = (pageHost || host).toLowerCase();
  const tag = `tag:${authority},${tracker.created_at.slice(0, 10)}:tracker:${tracker.id}`;
  const updated = [tracker.updated_at, ...entries.map((entry) => entry.at)].reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(tag)}</id>`,
    `  <title type="text">${xml(base.title)}</title>`,
  ];
  if (base.description) lines.push(`  <subtitle type="html">${xml(base.description)}</subtitle>`);
  lines.push(
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>${xml(base.title)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(selfUrl)}"/>`,
  );
  if (base.pageUrl) lines.push(`  <link rel="alternate" type="text/html" href="${xml(base.pageUrl)}"/>`);
  lines.push('  <generator>civic-widgets</generator>');
  for (const entry of entries) {
    const what = entry.title ?? (entry.status !== null ? labels[entry.status] : entry.progress !== null ? `${entry.progress} %` : 'Update');
    lines.push(
      '  <entry>',
      `    <id>${xml(`${tag}:project:${entry.project_id}:update:${entry.id}`)}</id>`,
      `    <title type="text">${xml(`${entry.project_title} — ${what}`)}</title>`,
      `    <updated>${xml(entry.at)}</updated>`,
      `    <published>${xml(entry.at)}</published>`,
    );
    if (base.pageUrl) lines.push(`    <link rel="alternate" type="text/html" href="${xml(base.pageUrl)}"/>`);
    if (entry.status !== null) lines.push(`    <category term="${xml(entry.status)}" label="${xml(labels[entry.status])}"/>`);
    lines.push(`    <content type="html">${xml(entry.body)}</content>`, '  </entry>');
  }
  lines.push('</feed>', '');
  return { xml: lines.join('\n'), updated };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escaped for XML text and attributes, without the characters XML 1.0 cannot carry at all. */
export function xml(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

import type { ProjectStatus } from '../db/schema-tracker.js';
import { escapeXml } from '../http/xml-text.js';
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
 * they never change; every text goes through `escapeXml()`, council HTML included, as escaped content.
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
    `  <id>${escapeXml(tag)}</id>`,
    `  <title type="text">${escapeXml(base.title)}</title>`,
  ];
  if (base.description) lines.push(`  <subtitle type="html">${escapeXml(base.description)}</subtitle>`);
  lines.push(
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <author><name>${escapeXml(base.title)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>`,
  );
  if (base.pageUrl) lines.push(`  <link rel="alternate" type="text/html" href="${escapeXml(base.pageUrl)}"/>`);
  lines.push('  <generator>civic-widgets</generator>');
  for (const entry of entries) {
    const what = entry.title ?? (entry.status !== null ? labels[entry.status] : entry.progress !== null ? `${entry.progress} %` : 'Update');
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(`${tag}:project:${entry.project_id}:update:${entry.id}`)}</id>`,
      `    <title type="text">${escapeXml(`${entry.project_title} — ${what}`)}</title>`,
      `    <updated>${escapeXml(entry.at)}</updated>`,
      `    <published>${escapeXml(entry.at)}</published>`,
    );
    if (base.pageUrl) lines.push(`    <link rel="alternate" type="text/html" href="${escapeXml(base.pageUrl)}"/>`);
    if (entry.status !== null) lines.push(`    <category term="${escapeXml(entry.status)}" label="${escapeXml(labels[entry.status])}"/>`);
    lines.push(`    <content type="html">${escapeXml(entry.body)}</content>`, '  </entry>');
  }
  lines.push('</feed>', '');
  return { xml: lines.join('\n'), updated };
}


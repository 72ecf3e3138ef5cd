import { html, nothing, type TemplateResult } from 'lit';
import { msg, str } from '@lit/localize';
import { formatDateTime, formatRelative, plural, type Poll, type Session } from '@civic-widgets/core';

/* The poll's wording: bounds of a choice, dates, who may vote and when results show. */

/** How many answers a choice poll takes. */
export function bounds(poll: Poll): { min: number; max: number } {
  if (poll.type === 'single') return { min: 1, max: 1 };
  const total = poll.options.length + (poll.allowOther ? 1 : 0);
  return { min: Math.max(1, poll.minChoices ?? 1), max: Math.min(total, poll.maxChoices ?? total) };
}

export function boundsText(poll: Poll): string {
  const { min, max } = bounds(poll);
  const total = poll.options.length + (poll.allowOther ? 1 : 0);
  if (min === max) return msg(str`Choose exactly ${min} options`);
  if (min > 1 && max < total) return msg(str`Choose between ${min} and ${max} options`);
  if (max < total) return msg(str`Choose up to ${max} options`);
  if (min > 1) return msg(str`Choose at least ${min} options`);
  return msg('Choose as many options as you like');
}

export function chosenText(count: number): string {
  return plural(count, {
    zero: msg('none chosen yet'),
    one: msg(str`${count} chosen`, { id: 'poll-chosen-one' }),
    other: msg(str`${count} chosen`, { id: 'poll-chosen-other' }),
  });
}

function date(iso: string): TemplateResult {
  return html`<time datetime=${iso}>${formatDateTime(iso)}</time>`;
}

/** When the poll opens or closes, relative and as a date. */
export function dates(poll: Poll): TemplateResult | typeof nothing {
  const now = Date.now();
  const { opensAt, closesAt } = poll;
  let line: TemplateResult | undefined;
  if (opensAt && now < Date.parse(opensAt)) {
    line = msg(html`Opens ${formatRelative(opensAt)}: ${date(opensAt)}`);
  } else if (closesAt && now >= Date.parse(closesAt)) {
    line = msg(html`Closed on ${date(closesAt)}`);
  } else if (closesAt) {
    line = msg(html`Open until ${date(closesAt)} (closes ${formatRelative(closesAt)})`);
  }
  return line ? html`<p part="dates">${line}</p>` : nothing;
}

/** Who may vote, and how the vote is kept anonymous, for the citizen as they are known. */
export function verificationText(poll: Poll, session: Session | undefined): string {
  if (poll.requiredVerification === 'verified') {
    return session?.verification === 'verified'
      ? msg('One vote per resident: the town’s site has confirmed who you are, and your vote is counted under an anonymous identifier.')
      : msg('One vote per resident: you sign in on the town’s site, which confirms who you are; your vote is then counted under an anonymous identifier.');
  }
  return session?.verification === 'verified'
    ? msg('One vote per person: you are signed in on the town’s site, and your vote is counted under an anonymous identifier.')
    : msg('One vote per device: you take part anonymously; your vote is kept with a random identifier on this device.');
}

/** When the results can be seen. */
export function visibilityText(poll: Poll): string {
  switch (poll.resultVisibility) {
    case 'always':
      return msg('Results can be seen at any time.');
    case 'after-voting':
      return msg('Results will be visible once you have voted.');
    case 'after-closing':
      return poll.closesAt
        ? msg(str`Results will be visible when the poll closes, on ${formatDateTime(poll.closesAt)}.`)
        : msg('Results will be visible when the poll closes.');
    case 'after-publication':
      return poll.resultsPublishedAt
        ? msg(str`Results will be visible once the council publishes them, on ${formatDateTime(poll.resultsPublishedAt)}.`)
        : msg('Results will be visible once the council publishes them.');
  }
}

import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import {
  LocaleController,
  baseStyles,
  formatNumber,
  formatPercent,
  plural,
  type OptionResult,
  type Poll,
  type PollResults,
  heading,
} from '@civic-widgets/core';
import { resultsStyles } from './poll-results.styles.js';

/** Live updates are announced at most this often, so a busy poll does not talk over the citizen. */
const ANNOUNCE_INTERVAL_MS = 5000;

interface ResultRow {
  label: string;
  /** 0..1, the length of the bar. */
  share: number;
  /** The figures as words, e.g. "123 votes, 45%". */
  figures: string;
  /** The table's cells after the label. */
  cells: string[];
}

/** "412 ballots", "1 ballot", in the active locale. */
export function ballotsText(count: number): string {
  const n = formatNumber(count);
  return plural(count, { one: msg(str`${n} ballot`), other: msg(str`${n} ballots`) });
}

/**
 * The results of a poll: one bar per option with its figures written out (never colour alone),
 * the same figures as a table, the totals, quorum and turnout. Later updates of `results` are
 * announced politely, at most once every few seconds.
 *
 * @tagname civic-poll-results
 * @summary Results of a `<civic-poll>`.
 * @csspart results - The results block.
 * @csspart option - Each option's row.
 * @csspart bar - The bar of an option.
 * @csspart table - The table alternative (a disclosure).
 */
export class CivicPollResults extends LitElement {
  static override styles = [baseStyles, resultsStyles];

  protected readonly localeController = new LocaleController(this);

  /** The poll the results belong to. */
  @property({ attribute: false }) poll?: Poll;

  /** The results to show. */
  @property({ attribute: false }) results?: PollResults;

  /** Level of the "Results" heading (2–6). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 3;

  @state() private announcement = '';

  private lastAnnouncedAt = 0;
  private announceTimer?: ReturnType<typeof setTimeout>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.announceTimer);
    this.announceTimer = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('results');
    if (previous && this.results && previous.pollId === this.results.pollId) this.scheduleAnnouncement();
  }

  private scheduleAnnouncement(): void {
    if (this.announceTimer) return;
    const wait = this.lastAnnouncedAt + ANNOUNCE_INTERVAL_MS - Date.now();
    const announce = () => {
      this.announceTimer = undefined;
      this.lastAnnouncedAt = Date.now();
      const ballots = ballotsText(this.results?.ballots ?? 0);
      this.announcement = msg(str`Results updated: ${ballots}`);
    };
    if (wait <= 0) announce();
    else this.announceTimer = setTimeout(announce, wait);
  }

  private rows(poll: Poll, results: PollResults): ResultRow[] {
    const byId = new Map<string, OptionResult>(results.options.map((result) => [result.optionId, result]));
    const total = results.ballots;
    const scale = poll.scale ?? { min: 1, max: 5 };
    const maxPoints = Math.max(1, ...results.options.map((result) => result.count));
    const rows = poll.options.map((option): ResultRow => {
      const result = byId.get(option.id) ?? { optionId: option.id, count: 0 };
      const count = formatNumber(result.count);
      if (poll.type === 'ranking') {
        const rank = result.average === undefined ? '–' : formatNumber(result.average, { maximumFractionDigits: 1 });
        const points = plural(result.count, { one: msg(str`${count} point`), other: msg(str`${count} points`) });
        return {
          label: option.label,
          share: result.count / maxPoints,
          figures: msg(str`mean rank ${rank}, ${points}`),
          cells: [rank, count],
        };
      }
      if (poll.type === 'rating') {
        const average = result.average;
        const value = average === undefined ? '–' : formatNumber(average, { maximumFractionDigits: 1 });
        const max = formatNumber(scale.max);
        const ratings = plural(result.count, { one: msg(str`${count} rating`), other: msg(str`${count} ratings`) });
        return {
          label: option.label,
          share: average === undefined ? 0 : (average - scale.min) / Math.max(1, scale.max - scale.min),
          figures: msg(str`average ${value} out of ${max}, ${ratings}`),
          cells: [value, count],
        };
      }
      const share = total > 0 ? result.count / total : 0;
      const votes = plural(result.count, { one: msg(str`${count} vote`), other: msg(str`${count} votes`) });
      return { label: option.label, share, figures: `${votes}, ${formatPercent(share)}`, cells: [count, formatPercent(share)] };
    });
    if (results.otherCount && (poll.type === 'single' || poll.type === 'multiple')) {
      const share = total > 0 ? results.otherCount / total : 0;
      const count = formatNumber(results.otherCount);
      const votes = plural(results.otherCount, { one: msg(str`${count} vote`), other: msg(str`${count} votes`) });
      rows.push({ label: msg('Other answers'), share, figures: `${votes}, ${formatPercent(share)}`, cells: [count, formatPercent(share)] });
    }
    return rows;
  }

  private columns(poll: Poll): string[] {
    if (poll.type === 'ranking') return [msg('Mean rank (1 = first)'), msg('Points')];
    if (poll.type === 'rating') return [msg('Average rating'), msg('Ratings')];
    return [msg('Votes'), msg('Share of ballots')];
  }

  private summary(results: PollResults): string {
    const parts = [ballotsText(results.ballots)];
    if (results.quorum !== undefined) {
      const quorum = formatNumber(results.quorum);
      parts.push(
        results.quorumReached ? msg(str`quorum of ${quorum} reached`) : msg(str`quorum of ${quorum} not reached yet`),
      );
    }
    let sentence = parts.join(' — ') + '.';
    if (results.electorate) {
      const turnout = formatPercent(results.ballots / results.electorate, { maximumFractionDigits: 1 });
      const electorate = formatNumber(results.electorate);
      sentence += ' ' + msg(str`Turnout: ${turnout} of ${electorate} people who may vote.`);
    }
    return sentence;
  }

  protected override render() {
    const { poll, results } = this;
    if (!poll || !results) return nothing;
    const rows = this.rows(poll, results);
    const note =
      poll.type === 'ranking'
        ? msg('Points: an option ranked first gets as many points as there are options, the last one point.')
        : poll.type === 'multiple'
          ? msg('Each ballot may choose several options, so shares add up to more than 100%.')
          : '';
    // role="list" on purpose: Safari's VoiceOver drops the list semantics of a list without markers.
    /* eslint-disable lit-a11y/no-redundant-role */
    return html`<div class="results" part="results">
      ${heading(this.headingLevel, msg('Results'), { id: 'results-heading' })}
      <p class="summary">${this.summary(results)}</p>
      <ul role="list" class="bars">
        ${rows.map(
          (row) => html`<li part="option">
            <span class="label">${row.label}</span>
            <span class="figures">${row.figures}</span>
            <span class="track" aria-hidden="true"
              ><span part="bar" class="bar" style=${styleMap({ inlineSize: `${Math.round(row.share * 1000) / 10}%` })}></span
            ></span>
          </li>`,
        )}
      </ul>
      ${note ? html`<p class="hint">${note}</p>` : nothing}
      <details part="table">
        <summary>${msg('Show the results as a table')}</summary>
        <table>
          <caption>
            ${this.summary(results)}
          </caption>
          <thead>
            <tr>
              <th scope="col">${msg('Option')}</th>
              ${this.columns(poll).map((column) => html`<th scope="col">${column}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (row) => html`<tr>
                <th scope="row">${row.label}</th>
                ${row.cells.map((cell) => html`<td>${cell}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </details>
      <p class="visually-hidden" role="status">${this.announcement}</p>
    </div>`;
    /* eslint-enable lit-a11y/no-redundant-role */
  }
}

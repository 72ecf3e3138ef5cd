import { isBlank } from '../../../core/src/content/text-rules.js';
import type { FieldError } from '../http/problem.js';
import type { BallotInputWire, PollCreate } from '../http/schemas.js';
import type { Answer, PollRecord } from './model.js';

export const OTHER_MAX_LENGTH = 500;

export interface CheckedBallot {
  answer: Answer;
  other?: string;
}

/** Checks a ballot against its poll, with one message per faulty field. */
export function checkBallot(poll: PollRecord, input: BallotInputWire): CheckedBallot | FieldError[] {
  const errors: FieldError[] = [];
  const optionIds = new Set(poll.options.map((option) => option.id));
  const unused = (field: 'choices' | 'ranking' | 'ratings' | 'other') => {
    if (input[field] !== undefined) errors.push({ field, message: `Not used by a ${poll.type} poll.` });
  };
  const unknownIds = (field: string, ids: string[]) => {
    ids.forEach((id, index) => {
      if (!optionIds.has(id)) errors.push({ field: `${field}.${index}`, message: 'Not an option of this poll.' });
    });
    if (new Set(ids).size !== ids.length) errors.push({ field, message: 'An option appears more than once.' });
  };

  let other: string | undefined;
  if (input.other !== undefined) {
    if (!poll.allowOther || (poll.type !== 'single' && poll.type !== 'multiple')) unused('other');
    else if (isBlank(input.other)) errors.push({ field: 'other', message: 'Write an answer or leave "other" out.' });
    else other = input.other.trim();
  }

  const answer: Answer = {};
  switch (poll.type) {
    case 'single': {
      unused('ranking');
      unused('ratings');
      const choices = input.choices ?? [];
      unknownIds('choices', choices);
      if (choices.length + (other === undefined ? 0 : 1) !== 1) {
        errors.push({ field: 'choices', message: other === undefined ? 'Choose one option.' : 'Choose one option or "other", not both.' });
      }
      answer.choices = choices;
      break;
    }
    case 'multiple': {
      unused('ranking');
      unused('ratings');
      const choices = input.choices ?? [];
      unknownIds('choices', choices);
      const { min, max } = choiceBounds(poll);
      const chosen = choices.length + (other === undefined ? 0 : 1);
      if (chosen < min || chosen > max) {
        errors.push({ field: 'choices', message: min === max ? `Choose exactly ${min} options.` : `Choose between ${min} and ${max} options.` });
      }
      answer.choices = choices;
      break;
    }
    case 'ranking': {
      unused('choices');
      unused('ratings');
      const ranking = input.ranking ?? [];
      unknownIds('ranking', ranking);
      if (ranking.length !== optionIds.size) errors.push({ field: 'ranking', message: 'Rank every option, each once.' });
      answer.ranking = ranking;
      break;
    }
    case 'rating': {
      unused('choices');
      unused('ranking');
      const ratings = input.ratings ?? {};
      const scale = poll.scale ?? { min: 1, max: 5 };
      for (const [id, value] of Object.entries(ratings)) {
        if (!optionIds.has(id)) errors.push({ field: `ratings.${id}`, message: 'Not an option of this poll.' });
        else if (!Number.isInteger(value) || value < scale.min || value > scale.max) {
          errors.push({ field: `ratings.${id}`, message: `Rate with a whole number from ${scale.min} to ${scale.max}.` });
        }
      }
      for (const id of optionIds) {
        if (!(id in ratings)) errors.push({ field: `ratings.${id}`, message: 'Rate this option.' });
      }
      answer.ratings = ratings;
      break;
    }
  }
  return errors.length ? errors : { answer, other };
}

export function choiceBounds(poll: Pick<PollRecord, 'type' | 'options' | 'minChoices' | 'maxChoices' | 'allowOther'>) {
  const available = poll.options.length + (poll.allowOther ? 1 : 0);
  if (poll.type === 'single') return { min: 1, max: 1 };
  return { min: poll.minChoices ?? 1, max: poll.maxChoices ?? available };
}

/** What one ballot adds to the running totals of each option (see poll_option_counts). */
export function contributions(poll: PollRecord, answer: Answer): Map<string, { count: number; total: number }> {
  const result = new Map<string, { count: number; total: number }>();
  if (answer.choices) for (const id of answer.choices) result.set(id, { count: 1, total: 0 });
  if (answer.ranking) {
    const last = answer.ranking.length - 1;
    // Borda: n-1 points for first place down to 0 for the last; the rank sum gives the mean rank.
    answer.ranking.forEach((id, index) => result.set(id, { count: last - index, total: index + 1 }));
  }
  if (answer.ratings) for (const [id, value] of Object.entries(answer.ratings)) result.set(id, { count: 1, total: value });
  void poll;
  return result;
}

/** Consistency of a poll definition that the schema alone cannot express. */
export function checkPollDefinition(poll: PollCreate): FieldError[] {
  const errors: FieldError[] = [];
  const ids = poll.options.map((option) => option.id);
  if (new Set(ids).size !== ids.length) errors.push({ field: 'options', message: 'Option ids must be unique.' });
  if (poll.type === 'rating') {
    if (!poll.scale) errors.push({ field: 'scale', message: 'A rating poll needs a scale.' });
    else if (poll.scale.min >= poll.scale.max) errors.push({ field: 'scale.max', message: 'The top of the scale must be above its bottom.' });
  } else if (poll.scale) {
    errors.push({ field: 'scale', message: 'Only rating polls have a scale.' });
  }
  if (poll.allowOther && poll.type !== 'single' && poll.type !== 'multiple') {
    errors.push({ field: 'allowOther', message: 'Only single and multiple choice polls can offer "other".' });
  }
  if (poll.type === 'multiple') {
    const { min, max } = choiceBounds(poll);
    const available = poll.options.length + (poll.allowOther ? 1 : 0);
    if (min > max) errors.push({ field: 'minChoices', message: 'The minimum is above the maximum.' });
    if (max > available) errors.push({ field: 'maxChoices', message: 'The maximum is above the number of options.' });
  } else if (poll.minChoices !== undefined || poll.maxChoices !== undefined) {
    errors.push({ field: 'minChoices', message: 'Only multiple choice polls have choice bounds.' });
  }
  if (poll.opensAt && poll.closesAt && Date.parse(poll.opensAt) >= Date.parse(poll.closesAt)) {
    errors.push({ field: 'closesAt', message: 'The poll must close after it opens.' });
  }
  return errors;
}

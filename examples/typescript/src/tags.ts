// Checked alone (tsconfig.tags.json): the package's types put the tags in HTMLElementTagNameMap
// without define.js, which would register the element.
import type { CivicPoll } from '@civic-widgets/poll';

export const poll: CivicPoll | null = document.querySelector('civic-poll');
export const headingLevel: number | undefined = document.createElement('civic-poll').headingLevel;

import { CivicIdeaBox } from './idea-box.js';

// Core's report form, <civic-report-form>, is defined the first time a citizen opens one.
CivicIdeaBox.define('civic-idea-box');

declare global {
  interface HTMLElementTagNameMap {
    'civic-idea-box': CivicIdeaBox;
  }
}

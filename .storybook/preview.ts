/// <reference types="vite/client" />
import { html, nothing } from 'lit';
import { setCustomElementsManifest, type Decorator, type Loader, type Preview } from '@storybook/web-components-vite';
import { withActions } from 'storybook/actions/decorator';
import { setLocale } from '@civic-widgets/core';
import { CHARTERS, isCharterId, townMasthead, type CharterChoice } from '../stories/charters.js';
import '../stories/charters.css';

// The manifests exist once the packages have been built; without them the docs show the
// argTypes written in the stories, and the build does not fail.
const manifests = import.meta.glob<{ modules?: unknown[] }>('../packages/*/custom-elements.json', {
  eager: true,
  import: 'default',
});
const modules = Object.values(manifests).flatMap((manifest) => manifest.modules ?? []);
if (modules.length > 0) setCustomElementsManifest({ schemaVersion: '2.1.0', modules });

const PAGE_TITLE: Record<string, string> = { en: 'Have your say', fr: 'Donnez votre avis' };

const withLocale: Loader = async ({ globals }) => {
  const locale = globals.locale === 'fr' ? 'fr' : 'en';
  // The widgets read <html lang> too, and assistive technologies need it to pick a voice.
  document.documentElement.lang = locale;
  await setLocale(locale);
};

/** Wraps a story in a town's web page, so that the widget sits in a real host charter. */
const withCharter: Decorator = (story, context) => {
  if (context.parameters.townPage === false) return story();
  const choice: CharterChoice = isCharterId(context.globals.charter) ? context.globals.charter : 'none';
  const dark = context.args.theme === 'dark';
  const classes = `town town--${dark ? 'none town--dark' : choice}`;

  if (context.viewMode === 'docs') return html`<div class=${`${classes} town--docs`}>${story()}</div>`;

  const charter = choice === 'none' || dark ? undefined : CHARTERS[choice];
  const locale = context.globals.locale === 'fr' ? 'fr' : 'en';
  return html`<div class=${classes}>
    ${charter ? townMasthead(charter) : nothing}
    <main class="town__main">
      <h1>${PAGE_TITLE[locale]}</h1>
      ${story()}
    </main>
  </div>`;
};

const preview: Preview = {
  loaders: [withLocale],
  decorators: [withCharter, withActions],
  initialGlobals: { locale: 'en', charter: 'belvoir' },
  globalTypes: {
    locale: {
      description: 'Language of the widgets',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        dynamicTitle: true,
        items: [
          { value: 'en', right: 'en', title: 'English' },
          { value: 'fr', right: 'fr', title: 'Français' },
        ],
      },
    },
    charter: {
      description: 'Graphic charter of the host site',
      toolbar: {
        title: 'Charter',
        icon: 'paintbrush',
        dynamicTitle: true,
        items: [
          ...Object.entries(CHARTERS).map(([value, charter]) => ({ value, title: charter.town, right: charter.summary })),
          { value: 'none', title: 'No charter', right: 'Widget fallbacks only' },
        ],
      },
    },
  },
  parameters: {
    layout: 'fullscreen',
    a11y: { test: 'error' },
    actions: { handles: ['civic-vote', 'civic-results-shown', 'civic-error'] },
    controls: { expanded: true, sort: 'requiredFirst' },
    docs: { toc: true },
    options: {
      storySort: { order: ['Introduction', 'Theming', 'Embed snippet builder', 'Widgets'] },
    },
  },
};

export default preview;

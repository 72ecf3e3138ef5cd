import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import { citizenText, councilHtml, sanitizeCouncilHtml } from '@civic-widgets/core';

const CITIZEN_TAGS = new Set(['DIV', 'P', 'BR', 'STRONG', 'EM', 'A', 'UL', 'OL', 'LI']);

async function renderCitizen(text: string): Promise<HTMLElement> {
  return fixtureSync<HTMLElement>(html`<div>${citizenText(text)}</div>`);
}

/** Asserts the text made no element outside the markdown subset, and no attribute but a link's. */
function expectOnlyCitizenMarkup(el: HTMLElement): void {
  for (const node of el.querySelectorAll('*')) {
    expect(CITIZEN_TAGS.has(node.tagName), `unexpected <${node.tagName}>`).to.equal(true);
    const allowed = node.tagName === 'A' ? ['href', 'rel'] : node.tagName === 'OL' ? ['start'] : [];
    for (const attr of node.getAttributeNames()) expect(allowed, `attribute ${attr}`).to.include(attr);
  }
}

describe('citizenText', () => {
  it('splits paragraphs on blank lines and keeps line breaks', async () => {
    const el = await renderCitizen('First line\nsecond line\n\n\r\nSecond paragraph');
    const paragraphs = el.querySelectorAll('p');
    expect(paragraphs).to.have.length(2);
    expect(paragraphs[0].querySelectorAll('br')).to.have.length(1);
    expect(paragraphs[0].textContent).to.equal('First linesecond line');
    expect(paragraphs[1].textContent).to.equal('Second paragraph');
  });

  it('renders bold and both italics, nested', async () => {
    const el = await renderCitizen('A **bold *and italic* text**, _underscored_ and *starred*.');
    expect(el.querySelector('p > strong')!.textContent).to.equal('bold and italic text');
    expect(el.querySelector('strong > em')!.textContent).to.equal('and italic');
    expect([...el.querySelectorAll('p > em')].map((e) => e.textContent)).to.deep.equal(['underscored', 'starred']);
  });

  it('leaves stray markers and words with underscores alone', async () => {
    const el = await renderCitizen('2 * 3 * 4, snake_case_name, ** not bold **, a * b');
    expect(el.querySelector('strong, em')).to.equal(null);
    expect(el.textContent).to.equal('2 * 3 * 4, snake_case_name, ** not bold **, a * b');
  });

  it('renders links and bare URLs with user-generated rel and no target', async () => {
    const el = await renderCitizen(
      'See [the budget](https://ville.example/budget) or https://ville.example/a_(b). Mail [us](mailto:mairie@ville.example).',
    );
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://ville.example/budget',
      'https://ville.example/a_(b)',
      'mailto:mairie@ville.example',
    ]);
    expect(links.map((a) => a.textContent)).to.deep.equal(['the budget', 'https://ville.example/a_(b)', 'us']);
    for (const a of links) {
      expect(a.getAttribute('rel')).to.equal('ugc nofollow noopener');
      expect(a.hasAttribute('target')).to.equal(false);
    }
    expect(el.textContent).to.contain('a_(b). Mail');
  });

  it('keeps balanced parentheses in a link and formatting in its label', async () => {
    const el = await renderCitizen('[**Budget** page](https://fr.example/wiki/Budget_(finances))');
    const a = el.querySelector('a')!;
    expect(a.getAttribute('href')).to.equal('https://fr.example/wiki/Budget_(finances)');
    expect(a.querySelector('strong')!.textContent).to.equal('Budget');
  });

  it('shows links to other schemes as text', async () => {
    const el = await renderCitizen(
      '[click](javascript:alert(1)) [img](data:text/html;base64,PHNjcmlwdD4=) [rel](/relative) [sp](JaVaScRiPt:alert(2)) javascript:alert(3)',
    );
    expect(el.querySelector('a')).to.equal(null);
    expect(el.textContent).to.contain('click');
    expect(el.textContent).to.contain('img');
    expect(el.textContent).to.contain('javascript:alert(3)');
    expectOnlyCitizenMarkup(el);
  });

  it('renders unordered and ordered lists', async () => {
    const el = await renderCitizen('Our ideas:\n- more trees\n* a **safer** crossing\n\n3. first\n4. second');
    expect(el.querySelector('p')!.textContent).to.equal('Our ideas:');
    expect([...el.querySelectorAll('ul > li')].map((li) => li.textContent)).to.deep.equal(['more trees', 'a safer crossing']);
    expect(el.querySelector('ul strong')!.textContent).to.equal('safer');
    const ol = el.querySelector('ol')!;
    expect(ol.getAttribute('start')).to.equal('3');
    expect([...ol.querySelectorAll('li')].map((li) => li.textContent)).to.deep.equal(['first', 'second']);
  });

  it('renders hostile markup as visible text and creates no other element', async () => {
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      '"><svg onload=alert(1)>',
      "<a href='javascript:alert(1)'>x</a>",
      '[x](https://ok.example/"><img src=x onerror=alert(1)>)',
      '&lt;b&gt; &amp; {{constructor}} ${1}',
    ];
    for (const text of hostile) {
      const el = await renderCitizen(text);
      expectOnlyCitizenMarkup(el);
      if (!text.startsWith('[')) expect(el.textContent).to.equal(text);
    }
    const el = await renderCitizen('https://ok.example/"><img src=x onerror=alert(1)>');
    expect(el.querySelector('a')!.getAttribute('href')).to.equal('https://ok.example/');
    expect(el.textContent).to.equal('https://ok.example/"><img src=x onerror=alert(1)>');
  });

  it('parses 100 kB of pathological input in linear time', async () => {
    const size = 100_000;
    const fill = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const inputs = [
      fill('*a'),
      fill('**'),
      fill('_a '),
      fill('[a]('),
      fill('[['),
      fill('http://('),
      fill('**a *b _c [d'),
      fill('- '),
      `${'('.repeat(size / 2)}[x](https://a.example/${'('.repeat(size / 2)}`,
      fill('a\n'),
    ];
    for (const input of inputs) {
      const label = `${JSON.stringify(input.slice(0, 12))}…`;
      let started = performance.now();
      const template = citizenText(input);
      const parsing = performance.now() - started;
      // A quadratic parse of 100 kB takes many seconds; a linear one some milliseconds.
      expect(parsing, `${label} parsed in ${parsing} ms`).to.be.below(1000);
      // Rendered detached: the browser's layout of 50,000 lines is not what is measured here.
      const el = document.createElement('div');
      started = performance.now();
      render(template, el);
      const rendering = performance.now() - started;
      expect(rendering, `${label} rendered in ${rendering} ms`).to.be.below(3000);
      expectOnlyCitizenMarkup(el);
    }
  });

  it('renders nothing for empty text', async () => {
    const el = await renderCitizen('');
    expect(el.childElementCount).to.equal(0);
  });
});

describe('councilHtml', () => {
  const dirty = `
    <h3 id="x" class="y" style="color:red" data-track="1">Budget</h3>
    <p onclick="alert(1)">A <strong>real</strong> <em>plan</em>, <b>b</b> <i>i</i> <u>u</u><br>
      <a href="https://ville.example/" target="_blank" rel="opener">site</a>
      <a href="javascript:alert(1)">bad</a> <a href="mailto:m@ville.example">mail</a>
      <a href="data:text/html,x">data</a> <a href=" java&#x09;script:alert(1)">tab</a>
      <abbr title="Plan local d'urbanisme" class="z">PLU</abbr> <span lang="en" style="x">budget</span>
    </p>
    <script>window.__councilPwned = true</script>
    <img src="x" onerror="window.__councilPwned = true">
    <iframe src="https://evil.example/"></iframe>
    <form action="https://evil.example/"><input name="q"><button>Go</button></form>
    <svg onload="window.__councilPwned = true"><circle r="1"></circle></svg>
    <math><mi>x</mi></math>
    <style>* { display: none }</style>
    <h4>Table</h4><blockquote>Quote</blockquote><ul><li>one</li></ul><ol><li>two</li></ol>
    <table><thead><tr><th scope="col" onmouseover="x()">Year</th><th scope="bogus">Sum</th></tr></thead>
      <tbody><tr><td>2027</td><td>1 000 €</td></tr></tbody></table>`;

  async function renderCouncil(source: string | undefined): Promise<HTMLElement> {
    const el = fixtureSync<HTMLElement>(html`<div>${councilHtml(source)}</div>`);
    if (source) await waitUntil(() => el.childElementCount > 0, 'sanitised HTML never rendered');
    return el;
  }

  it('keeps the allowed elements and their allowed attributes', async () => {
    const el = await renderCouncil(dirty);
    for (const tag of ['h3', 'h4', 'p', 'strong', 'em', 'b', 'i', 'u', 'br', 'blockquote', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td']) {
      expect(el.querySelector(tag), tag).to.not.equal(null);
    }
    expect(el.querySelector('abbr')!.getAttribute('title')).to.equal("Plan local d'urbanisme");
    expect(el.querySelector('span')!.getAttribute('lang')).to.equal('en');
    expect(el.querySelector('th')!.getAttribute('scope')).to.equal('col');
    expect(el.querySelectorAll('th')[1].hasAttribute('scope')).to.equal(false);
    const site = [...el.querySelectorAll('a')].find((a) => a.textContent === 'site')!;
    expect(site.getAttribute('href')).to.equal('https://ville.example/');
    expect(site.getAttribute('rel')).to.equal('noopener');
    expect(site.hasAttribute('target')).to.equal(false);
    expect(el.textContent).to.contain('1 000 €');
  });

  it('strips scripts, handlers, unsafe URLs, styles, frames, forms, images, SVG and MathML', async () => {
    const el = await renderCouncil(dirty);
    expect(el.querySelector('script, img, iframe, form, input, button, svg, math, style')).to.equal(null);
    for (const node of el.querySelectorAll('*')) {
      for (const attr of node.getAttributeNames()) {
        expect(['href', 'rel', 'title', 'lang', 'scope'], `${attr} on <${node.localName}>`).to.include(attr);
      }
    }
    const hrefs = [...el.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'));
    expect(hrefs).to.deep.equal(['https://ville.example/', 'mailto:m@ville.example']);
    expect(el.textContent).to.not.contain('__councilPwned');
    expect((window as { __councilPwned?: boolean }).__councilPwned).to.equal(undefined);
  });

  it('renders nothing for no HTML and follows a new value', async () => {
    const el = fixtureSync<HTMLElement>(html`<div></div>`);
    render(councilHtml(undefined), el);
    expect(el.childElementCount).to.equal(0);
    render(councilHtml('<p>first</p>'), el);
    await waitUntil(() => el.querySelector('p')?.textContent === 'first');
    render(councilHtml('<p>second</p>'), el);
    await waitUntil(() => el.querySelector('p')?.textContent === 'second');
    expect(el.querySelectorAll('p')).to.have.length(1);
    render(councilHtml(undefined), el);
    expect(el.childElementCount).to.equal(0);
  });

  it('also sanitises to a detached fragment for non-Lit callers', async () => {
    const fragment = await sanitizeCouncilHtml('<p>ok<img src=x onerror=alert(1)></p>');
    expect(fragment).to.be.instanceOf(DocumentFragment);
    expect(fragment.querySelector('img')).to.equal(null);
    expect(fragment.textContent).to.equal('ok');
  });
});

import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { applyAutoTheme, baseStyles, civicTokens, contrastRatio } from '@civic-widgets/core';

class StyledProbe extends LitElement {
  static override styles = baseStyles;
  override render() {
    return html`<p>Text</p><button type="button">Plain</button><button type="button" class="primary">Vote</button>`;
  }
}
customElements.define('styled-probe', StyledProbe);

const rgba = (color: string) => color.match(/[\d.]+/g)!.map(Number) as unknown as [number, number, number, number];
const shadow = (el: Element, selector: string) => el.shadowRoot!.querySelector(selector)!;

describe('baseStyles', () => {
  it("inherit the host page's font and colour instead of setting their own", async () => {
    const parent = fixtureSync<HTMLElement>(html`
      <div style="font-family: Georgia, serif; color: rgb(120, 20, 60); font-size: 20px">
        <styled-probe></styled-probe>
      </div>
    `);
    const probe = parent.querySelector('styled-probe')!;
    await (probe as StyledProbe).updateComplete;
    for (const el of [probe, shadow(probe, 'p'), shadow(probe, 'button')]) {
      const style = getComputedStyle(el);
      expect(style.fontFamily).to.equal(getComputedStyle(parent).fontFamily);
      expect(style.color).to.equal('rgb(120, 20, 60)');
    }
    expect(getComputedStyle(probe).fontSize).to.equal('20px');
    expect(getComputedStyle(probe).display).to.equal('block');
  });

  it('give primary buttons colours with at least 4.5:1 contrast, and follow the tokens', async () => {
    const probe = await fixture<StyledProbe>(html`<styled-probe></styled-probe>`);
    let style = getComputedStyle(shadow(probe, '.primary'));
    expect(contrastRatio(rgba(style.backgroundColor), rgba(style.color))).to.be.at.least(4.5);
    // A new element rather than a changed one: a colour change would be mid-transition.
    const themed = await fixture<StyledProbe>(
      html`<styled-probe style="--civic-color-primary: rgb(0, 100, 0); --civic-color-on-primary: rgb(255, 255, 0)"></styled-probe>`,
    );
    style = getComputedStyle(shadow(themed, '.primary'));
    expect(style.backgroundColor).to.equal('rgb(0, 100, 0)');
    expect(style.color).to.equal('rgb(255, 255, 0)');
  });

  it('switch to the dark token set with theme="dark"', async () => {
    const probe = await fixture<StyledProbe>(html`<styled-probe theme="dark"></styled-probe>`);
    const style = getComputedStyle(probe);
    expect(style.getPropertyValue('--civic-color-surface').trim()).to.equal('#1b1d21');
    expect(style.backgroundColor).to.equal('rgb(27, 29, 33)');
    expect(contrastRatio(rgba(style.color), rgba(style.backgroundColor))).to.be.at.least(4.5);
    const primary = getComputedStyle(shadow(probe, '.primary'));
    expect(contrastRatio(rgba(primary.backgroundColor), rgba(primary.color))).to.be.at.least(4.5);
  });

  it('list every token with a description and a default', () => {
    const names = civicTokens.map((token) => token.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).to.include.members(['--civic-color-primary', '--civic-focus-ring', '--civic-font-family']);
    for (const token of civicTokens) {
      expect(token.description.length, token.name).to.be.above(5);
      expect(token.default.length, token.name).to.be.above(0);
    }
  });
});

describe('applyAutoTheme', () => {
  const tokenOf = (el: Element, name: string) => el instanceof HTMLElement ? el.style.getPropertyValue(name) : '';

  it("maps the page's font, colours, and button to the tokens", async () => {
    const page = fixtureSync<HTMLElement>(html`
      <div style="background: rgb(20, 30, 40); color: rgb(230, 230, 230); font-family: 'Courier New', monospace">
        <p><a href="#x" style="color: rgb(255, 200, 0)">a link</a></p>
        <button type="submit" style="background: rgb(230, 90, 140)">Send</button>
        <section><styled-probe></styled-probe></section>
      </div>
    `);
    const probe = page.querySelector<HTMLElement>('styled-probe')!;
    applyAutoTheme(probe);
    expect(tokenOf(probe, '--civic-font-family')).to.contain('Courier New');
    expect(tokenOf(probe, '--civic-color-text')).to.equal('rgb(230, 230, 230)');
    expect(tokenOf(probe, '--civic-color-surface')).to.equal('rgb(20, 30, 40)');
    expect(tokenOf(probe, '--civic-color-primary')).to.equal('rgb(230, 90, 140)');
    expect(tokenOf(probe, '--civic-color-on-primary')).to.equal('rgb(0, 0, 0)');
    const surface = rgba('rgb(20, 30, 40)');
    expect(contrastRatio(rgba(tokenOf(probe, '--civic-color-muted')), surface)).to.be.at.least(4.5);
    expect(contrastRatio(rgba(tokenOf(probe, '--civic-color-border')), surface)).to.be.at.least(3);
  });

  it("uses the page's link colour when it has no styled button", async () => {
    const page = fixtureSync<HTMLElement>(html`
      <div style="background: rgb(255, 255, 255)">
        <button>Unstyled</button>
        <p><a href="#x" style="color: rgb(0, 90, 60)">a link</a></p>
        <styled-probe></styled-probe>
      </div>
    `);
    const probe = page.querySelector<HTMLElement>('styled-probe')!;
    applyAutoTheme(probe);
    expect(tokenOf(probe, '--civic-color-primary')).to.equal('rgb(0, 90, 60)');
    expect(tokenOf(probe, '--civic-color-on-primary')).to.equal('rgb(255, 255, 255)');
  });

  it('keeps tokens the site set, on the element or above it, and reads the page only once', async () => {
    const page = fixtureSync<HTMLElement>(html`
      <div style="--civic-color-surface: rgb(1, 2, 3); background: rgb(250, 250, 250)">
        <styled-probe style="--civic-color-primary: rgb(9, 9, 9)"></styled-probe>
      </div>
    `);
    const probe = page.querySelector<HTMLElement>('styled-probe')!;
    applyAutoTheme(probe);
    expect(tokenOf(probe, '--civic-color-primary')).to.equal('rgb(9, 9, 9)');
    expect(tokenOf(probe, '--civic-color-surface')).to.equal('');
    expect(tokenOf(probe, '--civic-color-text')).to.not.equal('');
    probe.style.removeProperty('--civic-color-text');
    applyAutoTheme(probe);
    expect(tokenOf(probe, '--civic-color-text')).to.equal('');
  });
});

import { LitElement, html } from 'lit';
import { sendKeys } from '@web/test-runner-commands';
import { assert, assertEqual } from '../test-support/assert.js';
import { MessageEditingController } from './message-editing-controller.js';

const ORIGINAL = 'What is 2 + 2?';

class EditingHost extends LitElement {
  readonly editing = new MessageEditingController(this, 'textarea');
  submitted: string[] = [];
  veto = false;
  protected override render() {
    const draft = this.editing.draftOf('m1');
    const submit = () => this.editing.submit((text) => (this.submitted.push(text), !this.veto));
    return draft === undefined
      ? html`<p>${ORIGINAL}</p>`
      : html`<textarea .value=${draft} @input=${this.editing.onInput} @keydown=${(e: KeyboardEvent) => this.editing.onKeydown(e, ORIGINAL, submit)}></textarea>
          <button @click=${this.editing.cancel}>Cancel</button>`;
  }
}
customElements.define('message-editing-host', EditingHost);

async function open(): Promise<{ el: EditingHost; field: () => HTMLTextAreaElement | null }> {
  const el = document.createElement('message-editing-host') as EditingHost;
  document.body.append(el);
  await el.updateComplete;
  el.editing.start('m1', ORIGINAL);
  await el.updateComplete;
  return { el, field: () => el.shadowRoot!.querySelector('textarea') };
}

describe('MessageEditingController', () => {
  afterEach(() => document.querySelectorAll('message-editing-host').forEach((el) => el.remove()));

  it('opens the editor on one message with its text, focused', async () => {
    const { el, field } = await open();
    assertEqual(el.editing.draftOf('m1'), ORIGINAL, 'the draft');
    assertEqual(el.editing.draftOf('m2'), undefined, 'only that message');
    assertEqual(el.shadowRoot!.activeElement, field() as Element, 'focused');
  });

  it('Escape closes an untouched draft and keeps a changed one; Cancel drops it', async () => {
    const { el, field } = await open();
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    assertEqual(field(), null, 'an untouched editor closes');

    el.editing.start('m1', ORIGINAL);
    await el.updateComplete;
    await sendKeys({ type: '!' });
    assertEqual(el.editing.draftOf('m1'), `${ORIGINAL}!`, 'typing changes the draft');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    assert(field(), 'Escape never throws a changed draft away');
    assertEqual(field()!.value, `${ORIGINAL}!`, 'kept as typed');

    el.shadowRoot!.querySelector('button')!.click();
    await el.updateComplete;
    assertEqual(field(), null, 'Cancel closes');
    assertEqual(el.editing.draftOf('m1'), undefined, 'and drops the draft');
  });

  it('Enter submits a non-blank draft; Shift+Enter breaks a line; a vetoed submit keeps the editor', async () => {
    const { el, field } = await open();
    await sendKeys({ press: 'Shift+Enter' });
    assertEqual(el.submitted.length, 0, 'Shift+Enter does not submit');
    assertEqual(field()!.value, `${ORIGINAL}\n`, 'it breaks the line');

    field()!.select();
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Enter' });
    assertEqual(el.submitted.length, 0, 'a blank draft is not submitted');

    el.veto = true;
    await sendKeys({ type: 'What is 3 + 3?' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    assertEqual(el.submitted.join('|'), 'What is 3 + 3?', 'offered');
    assert(field(), 'vetoed: the editor stays open');

    el.veto = false;
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    assertEqual(el.submitted.length, 2, 'offered again');
    assertEqual(field(), null, 'accepted: the editor closes');
  });
});

import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * Editing a message in place (edit-and-regenerate): which message is edited and
 * its draft. Escape never throws away a changed draft (only Cancel does); an
 * untouched one just closes. Enter (without Shift, outside an IME composition)
 * submits; a submit the host's event vetoes keeps the editor open.
 */
export class MessageEditingController implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #field: string;
  #editing: { id: string; draft: string } | undefined;
  /** The editor just opened: focus it once rendered. */
  #focus = false;

  /** @param field selector of the editor's text field in the host's render root. */
  constructor(host: ReactiveElement, field: string) {
    this.#host = host;
    this.#field = field;
    host.addController(this);
  }

  hostUpdated(): void {
    if (!this.#focus) return;
    this.#focus = false;
    this.#host.renderRoot.querySelector<HTMLElement>(this.#field)?.focus();
  }

  /** The draft of message `id` while it is being edited, else undefined. */
  draftOf(id: string): string | undefined {
    return this.#editing?.id === id ? this.#editing.draft : undefined;
  }

  /** Opens the editor on message `id` with its text, focused once rendered. */
  start(id: string, text: string): void {
    this.#editing = { id, draft: text };
    this.#focus = true;
    this.#host.requestUpdate();
  }

  /** Closes the editor, dropping the draft. */
  cancel = (): void => {
    this.#editing = undefined;
    this.#host.requestUpdate();
  };

  /** Listener for the editor's `input`. */
  onInput = (event: Event): void => {
    if (this.#editing) this.#editing.draft = (event.target as HTMLTextAreaElement).value;
  };

  /** Handles the editor's keys: Escape (closes an untouched draft) and Enter (calls `submit`). `text`: the message's text. */
  onKeydown(event: KeyboardEvent, text: string, submit: () => void): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (this.#editing?.draft === text) this.cancel();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  /** Offers a non-blank draft to `fire` (which dispatches the cancelable edit event); closes the editor unless vetoed. */
  submit(fire: (text: string) => boolean): void {
    const text = this.#editing?.draft ?? '';
    if (text.trim() && fire(text)) this.cancel();
  }
}

import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ensureDefined } from '../define-element.js';

/**
 * `requested`: loading or loaded. `prefetch-failed`: failed while not shown, tried again
 * when shown. `failed`: failed while shown, reported, tried again after {@link LazyPartsController.retryFailed}.
 */
type PartLoad = 'requested' | 'prefetch-failed' | 'failed';

/**
 * Loads the parts a host renders only in some states (`ensureDefined(tag)`), each once.
 * A failed load is not retried by itself, so a server that is down gets no request per
 * frame: a prefetch (the part not shown yet) is tried again when the part is shown; a
 * shown part's failure is reported through `onError` and tried again only after
 * {@link LazyPartsController.retryFailed} (the host calls it on the next turn or session).
 */
export class LazyPartsController implements ReactiveController {
  readonly #loads = new Map<string, PartLoad>();
  readonly #shown: (tag: string) => boolean;
  readonly #onError: (error: unknown) => void;
  readonly #wanted: () => Iterable<string>;

  /**
   * @param shown whether `tag` is in the host's current render.
   * @param onError called with a shown part's load error.
   * @param wanted the parts to load before each update (more may be asked for with {@link LazyPartsController.load}).
   */
  constructor(
    host: ReactiveControllerHost,
    shown: (tag: string) => boolean,
    onError: (error: unknown) => void,
    wanted: () => Iterable<string> = () => [],
  ) {
    this.#shown = shown;
    this.#onError = onError;
    this.#wanted = wanted;
    host.addController(this);
  }

  hostUpdate(): void {
    for (const tag of this.#wanted()) this.load(tag);
  }

  /** Starts loading `tag` unless it is loaded, loading, or failed and not to be tried again yet. */
  load(tag: string): void {
    const status = this.#loads.get(tag);
    if (status === 'requested' || status === 'failed' || (status === 'prefetch-failed' && !this.#shown(tag))) return;
    this.#loads.set(tag, 'requested');
    ensureDefined(tag).catch((error: unknown) => {
      if (!this.#shown(tag)) return this.#loads.set(tag, 'prefetch-failed');
      this.#loads.set(tag, 'failed');
      this.#onError(error);
    });
  }

  /** Lets every failed part be loaded again. */
  retryFailed(): void {
    for (const [tag, status] of this.#loads) if (status !== 'requested') this.#loads.delete(tag);
  }
}

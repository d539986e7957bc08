import * as React from 'react';
import { createComponent, type EventName, type Options, type ReactWebComponent } from '@lit/react';
import { defineElement, type ComposedElementClass } from '@agent-chat/widget';

/**
 * A React component for a custom element (`@lit/react`'s `createComponent`), after
 * registering its tag (and the elements it renders) unless taken; registration
 * does nothing outside a browser. Generated components call it with a
 * `@__PURE__` annotation, so a bundle that never uses a component drops both
 * the component and the registration, and with them the widget's code.
 */
export function elementComponent<I extends HTMLElement, E extends Record<string, EventName | string> = {}>(
  options: Omit<Options<I, E>, 'react'>,
): ReactWebComponent<I, E> {
  defineElement(options.tagName, options.elementClass as unknown as ComposedElementClass);
  return createComponent<I, E>({ ...options, react: React });
}

import { css } from 'lit';

/** Rendered markdown: text, lists, tables, images, fenced code with its copy button and highlighting. */
export const markdownStyles = css`
  .markdown {
    overflow-wrap: anywhere;
  }
  /* Blocks above the one being written skip layout and paint while off-screen,
     so a long answer costs each frame the same as a short one. */
  .markdown > :not(:last-child) {
    content-visibility: auto;
    contain-intrinsic-size: auto 1.6em;
  }
  .markdown > :first-child,
  .markdown > :first-child > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .markdown p,
  .markdown ul,
  .markdown ol,
  .markdown pre,
  .markdown table,
  .markdown blockquote {
    margin: 0 0 0.85em;
  }
  .markdown h1,
  .markdown h2,
  .markdown h3,
  .markdown h4 {
    line-height: 1.3;
    margin: 1.2em 0 0.5em;
    font-weight: 650;
  }
  .markdown h1 {
    font-size: 1.45em;
  }
  .markdown h2 {
    font-size: 1.25em;
  }
  .markdown h3 {
    font-size: 1.1em;
  }
  .markdown ul,
  .markdown ol {
    padding-inline-start: 1.5em;
  }
  .markdown li + li {
    margin-top: 0.25em;
  }
  .markdown a {
    color: var(--_accent);
    text-underline-offset: 2px;
  }
  .markdown code {
    font-family: var(--_mono);
    font-size: 0.88em;
    background: var(--_code-bg);
    border-radius: 5px;
    padding: 0.12em 0.35em;
  }
  .markdown pre {
    position: relative;
    background: var(--_code-bg);
    border: 1px solid var(--_border);
    border-radius: 10px;
    padding: 12px 14px;
    overflow-x: auto;
    line-height: 1.5;
  }
  .markdown pre code {
    background: none;
    padding: 0;
    font-size: 0.86em;
  }
  .markdown .copy-code {
    position: sticky;
    float: right;
    top: 0;
    inset-inline-end: 0;
    margin: -6px -8px 0 8px;
    font-size: 0.75em;
    opacity: 0;
  }
  .markdown pre:hover .copy-code,
  .markdown .copy-code:focus-visible {
    opacity: 1;
  }
  .markdown blockquote {
    border-inline-start: 3px solid var(--_border);
    padding-inline-start: 12px;
    color: var(--_muted);
  }
  .markdown table {
    border-collapse: collapse;
    display: block;
    overflow-x: auto;
  }
  .markdown th,
  .markdown td {
    border: 1px solid var(--_border);
    padding: 6px 10px;
  }
  .markdown hr {
    border: 0;
    border-top: 1px solid var(--_border);
  }
  .markdown img {
    max-width: 100%;
    height: auto;
    border-radius: 8px;
  }
  /* A remote image held back until the user asks for it (see allowedImageHosts). */
  .markdown .load-image {
    font: inherit;
    font-size: 0.85em;
    color: var(--_muted);
    background: var(--_surface);
    border: 1px dashed var(--_border);
    border-radius: 8px;
    padding: 0.5em 0.8em;
    cursor: pointer;
    max-width: 100%;
    overflow-wrap: anywhere;
    text-align: start;
  }
  .markdown .load-image:hover,
  .markdown .load-image:focus-visible {
    color: inherit;
    border-color: var(--_accent);
  }
  /* Markdown that could not be rendered, shown as its text. */
  .markdown.plain p {
    white-space: pre-wrap;
  }
  .hljs-keyword,
  .hljs-built_in,
  .hljs-selector-tag,
  .hljs-literal {
    color: var(--_hl-keyword);
  }
  .hljs-string,
  .hljs-regexp,
  .hljs-addition {
    color: var(--_hl-string);
  }
  .hljs-number,
  .hljs-symbol {
    color: var(--_hl-number);
  }
  .hljs-comment,
  .hljs-quote,
  .hljs-meta {
    color: var(--_hl-comment);
    font-style: italic;
  }
  .hljs-title,
  .hljs-function,
  .hljs-section {
    color: var(--_hl-title);
  }
  .hljs-attr,
  .hljs-attribute,
  .hljs-variable,
  .hljs-type,
  .hljs-params {
    color: var(--_hl-attr);
  }
  .hljs-deletion {
    color: var(--_danger);
  }
`;

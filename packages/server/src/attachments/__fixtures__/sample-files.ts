/** Small real files of every type the server accepts by default, with what the server should find in them. */
export interface SampleFile {
  name: string;
  /** What the client claims. */
  claimed: string;
  bytes: Uint8Array;
  /** What the server detects. */
  mediaType: string;
  width?: number;
  height?: number;
}

const b64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A 3 x 2 px PNG. */
export const PNG = b64('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGP4z8AAQQxwFgBB0gX7h/C5SAAAAABJRU5ErkJggg==');
/** A 4 x 5 px GIF (logical screen). */
export const GIF = b64('R0lGODlhBAAFAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
/** A 7 x 9 px JPEG (progressive). */
export const JPEG = b64(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAAJAAcBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
);
/** A 1 x 1 px WebP (lossless). */
export const WEBP = b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
/** A one-page-less PDF: enough for the header the type is read from. */
export const PDF = utf8('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** A Windows executable's header. */
export const EXE = new Uint8Array([0x4d, 0x5a, ...new Array<number>(200).fill(0)]);

export const SAMPLE_FILES: readonly SampleFile[] = [
  { name: 'pixel.png', claimed: 'image/png', bytes: PNG, mediaType: 'image/png', width: 3, height: 2 },
  { name: 'photo.jpg', claimed: 'image/jpeg', bytes: JPEG, mediaType: 'image/jpeg', width: 7, height: 9 },
  { name: 'anim.gif', claimed: 'image/gif', bytes: GIF, mediaType: 'image/gif', width: 4, height: 5 },
  { name: 'tiny.webp', claimed: 'image/webp', bytes: WEBP, mediaType: 'image/webp', width: 1, height: 1 },
  { name: 'paper.pdf', claimed: 'application/pdf', bytes: PDF, mediaType: 'application/pdf' },
  { name: 'notes.txt', claimed: 'text/plain', bytes: utf8('Plain notes: héllo\nline two\n'), mediaType: 'text/plain' },
  { name: 'README.md', claimed: 'text/markdown', bytes: utf8('# Title\n\nSome *markdown*.\n'), mediaType: 'text/markdown' },
  // Browsers often send CSV as application/vnd.ms-excel: the name says what it is.
  { name: 'table.csv', claimed: 'application/vnd.ms-excel', bytes: utf8('a,b\n1,2\n'), mediaType: 'text/csv' },
  { name: 'data.json', claimed: 'application/json', bytes: utf8('{"answer": 42}\n'), mediaType: 'application/json' },
];

/** An SVG that runs script when opened as a document. */
export const SVG_WITH_SCRIPT = utf8(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>\n',
);
/** An HTML page that runs script. */
export const HTML_WITH_SCRIPT = utf8('<!doctype html><html><body><script>fetch("/api/sessions").then(r => r.text()).then(alert)</script></body></html>\n');

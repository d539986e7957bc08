import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi.js';
import { attachmentHeaders, contentDisposition } from './attachment-response.js';

describe('attachmentHeaders', () => {
  it('serves images and PDF inline, the rest as downloads, all sandboxed and never sniffed', () => {
    const png = attachmentHeaders({ id: 'a', name: 'cat.png', mediaType: 'image/png', size: 10, width: 1, height: 1 });
    expect(png).toEqual({
      'content-type': 'image/png',
      'content-length': '10',
      'content-disposition': `inline; filename="cat.png"; filename*=UTF-8''cat.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'private, max-age=3600',
      etag: '"a"',
    });
    const html = attachmentHeaders({ id: 'b', name: 'page.html', mediaType: 'text/html', size: 5 });
    expect(html['content-type']).toBe('text/html; charset=utf-8');
    expect(html['content-disposition']).toMatch(/^attachment; /);
    expect(attachmentHeaders({ id: 'c', name: 'd.pdf', mediaType: 'application/pdf', size: 5 })['content-disposition']).toMatch(/^inline; /);
  });

  it('writes any name safely: RFC 8187 filename*, an ASCII fallback without quotes, and no header injection', () => {
    expect(contentDisposition('attachment', 'résumé "final" 😀.pdf')).toBe(
      `attachment; filename="r_sum_ _final_ __.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22%20%F0%9F%98%80.pdf`,
    );
    const header = contentDisposition('attachment', "evil\r\nset-cookie: x=1; it's (100%)*");
    expect(header).not.toMatch(/[\r\n]/);
    expect(() => new Headers({ 'content-disposition': header })).not.toThrow();
    expect(header).toContain(`filename*=UTF-8''evil%0D%0Aset-cookie%3A%20x%3D1%3B%20it%27s%20%28100%25%29%2A`);
  });
});

describe('the OpenAPI document', () => {
  it('describes the upload as multipart with a file, the download as bytes, and the attachment id', () => {
    const doc = buildOpenApiDocument('/api') as { paths: Record<string, Record<string, any>> };
    const upload = doc.paths['/session/{id}/attachments']!.post!;
    expect(upload.requestBody.content['multipart/form-data'].schema.properties.file).toEqual({ type: 'string', format: 'binary' });
    expect(upload.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Attachment' });
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['400', '404', '413', '415', '429']));
    const download = doc.paths['/session/{id}/attachments/{aid}']!.get!;
    expect(download.responses['200'].content['*/*'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(download.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'aid']);
    expect(doc.paths['/session/{id}/attachments/{aid}']!.delete!.responses).toHaveProperty('409');
  });
});

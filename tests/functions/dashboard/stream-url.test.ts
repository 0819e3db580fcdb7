import { describe, expect, it } from 'vitest';
import { dashboardHtml } from '../../../functions/dashboard/page.ts';
import { acceptedStreamUrl, withStreamUrl } from '../../../functions/dashboard/stream-url.ts';

describe('the dashboard page names the Function URL it streams from', () => {
  it('adds the meta tag for an https Function URL, without a trailing slash', () => {
    const html = withStreamUrl(dashboardHtml, 'https://abc123.lambda-url.eu-west-1.on.aws/');
    expect(html).toContain(
      '<meta name="ldam-stream-url" content="https://abc123.lambda-url.eu-west-1.on.aws">',
    );
    expect(html.indexOf('ldam-stream-url')).toBeLessThan(html.indexOf('</head>'));
  });

  it.each([
    undefined,
    '',
    'http://abc.lambda-url.eu-west-1.on.aws/',
    'javascript:alert(1)',
    'https://user:pw@abc.example.com/',
    'https://abc.example.com/?x=1',
    'https://abc.example.com/#x',
    'not a url',
    `https://abc.example.com/${'a'.repeat(600)}`,
  ])('leaves the page unchanged for %s', (header) => {
    expect(acceptedStreamUrl(header)).toBeUndefined();
    expect(withStreamUrl(dashboardHtml, header)).toBe(dashboardHtml);
  });

  it('cannot break out of the attribute', () => {
    const html = withStreamUrl(dashboardHtml, 'https://abc.example.com/"><script>x</script>');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('content="https://abc.example.com/%22%3E%3Cscript%3Ex%3C/script%3E">');
  });
});

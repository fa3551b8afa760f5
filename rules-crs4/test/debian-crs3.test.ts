import { existsSync } from 'node:fs';
import { crsConfig, locateCrs } from '../src';
import { send, wafOf } from './helpers/request';

/** Debian's modsecurity-crs package: CRS 3.3.4 with Debian's security patches, installed by scripts/bootstrap.sh. */
const DEBIAN = '/usr/share/modsecurity-crs';

const form = (body: string) => ({
  method: 'POST',
  uri: '/submit',
  headers: [
    ['Host', 'example.com'],
    ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'],
    ['Accept', 'text/html'],
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Content-Length', String(body.length)],
  ] as const,
  body,
});

describe("Debian's CRS 3.3.4 as it is installed", () => {
  expect(existsSync(DEBIAN)).toBe(true); // run scripts/bootstrap.sh: it installs Debian's modsecurity-crs

  const located = locateCrs({ crsDir: DEBIAN });
  const { waf, warnings } = wafOf(crsConfig({ profile: 'pl2', crsDir: located.dir }));

  it('loads unchanged, saying what runs differently', () => {
    expect(located.version).toBe('3.3.4');
    // Debian patches four rule files for security fixes and moves the .example files to /etc.
    expect(located.verification).toBe('modified');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rule 910100: @geoLookup: no GeoIP database/),
        expect.stringMatching(/^rule 910140: @rbl dnsbl\.httpbl\.org needs an access key/),
        expect.stringMatching(/^rule 920600: @rx: RE2 cannot compile this pattern \(possessive quantifier\); it runs on the backtracking engine/),
        expect.stringMatching(/^rule 942130: @rx: RE2 cannot compile this pattern \(lookahead, backreference\)/),
        expect.stringMatching(/^rule 942260: @rx: RE2 cannot compile this pattern \(possessive quantifier\)/),
      ]),
    );
  });

  it.each([
    ['SQL injection (942100, libinjection)', { uri: `/item?id=${encodeURIComponent("1' OR '1'='1")}` }, 942100],
    ['SQL tautology with a backreference (942130, backtracking engine)', { uri: `/item?id=${encodeURIComponent("x' or 'abc'='abc")}` }, 942130],
    ['SQL probing (942260, possessive quantifier)', form(`q=${encodeURIComponent("\" and 1=1 having 1")}`), 942260],
    ['XSS', { uri: `/?name=${encodeURIComponent('<script>alert(1)</script>')}` }, 941100],
    ['path traversal', { uri: '/download?file=../../../../etc/passwd' }, 930100],
    ['Unix command injection', form(`cmd=${encodeURIComponent(';cat /etc/passwd')}`), 932160],
    ['PHP injection', form(`code=${encodeURIComponent('<?php system($_GET["c"]); ?>')}`), 933100],
    ['a scanner', { uri: '/', headers: [['Host', 'example.com'], ['User-Agent', 'sqlmap/1.7'], ['Accept', '*/*']] as const }, 913100],
    ['an Accept header with a charset CRS 3.3 refuses (920600, possessive quantifiers)', { uri: '/', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0'], ['Accept', 'text/html;charset=utf-7']] as const }, 920600],
  ])('blocks %s', (_name, req, id) => {
    const r = send(waf, req);
    expect(r.ids).toContain(id);
    expect(r.status).toBe(403);
  });

  it('lets ordinary requests through', () => {
    expect(send(waf, { uri: '/products?page=2&sort=price' }).status).toBeUndefined();
    expect(send(waf, form('name=Alice+O%27Brien&comment=Great+product%2C+thanks!')).status).toBeUndefined();
    expect(send(waf, { uri: '/', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0'], ['Accept', 'text/html;charset=utf-8, */*;q=0.8']] }).status).toBeUndefined();
  });
});

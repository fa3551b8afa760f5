import * as path from 'node:path';
import { crsConfig } from '../src';
import { send, wafOf } from './helpers/request';

const CRS = path.resolve(__dirname, '..', '..', '..', 'shared', 'crs4');
const PLUGINS = path.join(__dirname, 'fixtures', 'plugins');
const SQLI = "1' OR '1'='1";

describe('CRS plugins through the engine (CRS 4.28.0, PL1)', () => {
  it('an exclusion plugin removes SQL injection checks from one field of one path only', () => {
    const { waf } = wafOf(crsConfig({ profile: 'pl1', crsDir: CRS, pluginsDir: path.join(PLUGINS, 'exclusion') }));
    expect(send(waf, { uri: `/search?q=${encodeURIComponent(SQLI)}` }).status).toBeUndefined();
    expect(send(waf, { uri: `/search?other=${encodeURIComponent(SQLI)}` }).status).toBe(403);
    expect(send(waf, { uri: `/login?q=${encodeURIComponent(SQLI)}` }).status).toBe(403);
    // Without the plugin the same request is blocked.
    const { waf: plain } = wafOf(crsConfig({ profile: 'pl1', crsDir: CRS }));
    expect(send(plain, { uri: `/search?q=${encodeURIComponent(SQLI)}` }).status).toBe(403);
  });

  it('a detection plugin adds a rule whose score CRS\'s blocking evaluation acts on', () => {
    const { waf } = wafOf(crsConfig({ profile: 'pl1', crsDir: CRS, pluginsDir: path.join(PLUGINS, 'detection') }));
    const hit = send(waf, { uri: '/profile?nick=Rampart-Canary-7F3A' });
    expect(hit.status).toBe(403);
    expect(hit.ids).toEqual(expect.arrayContaining([9500100, 949110]));
    expect(send(waf, { uri: '/profile?nick=alice' }).status).toBeUndefined();
  });
});

// electron-builder.yml against electron-builder's own JSON schema (shipped in
// app-builder-lib), plus the fields IT relies on: signing from the environment only,
// an explicit publisher name for update signature checks, the generic update feed,
// per-machine installers, hardened runtime with the microphone entitlement, every fuse.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const schemaPath = require.resolve('app-builder-lib/scheme.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const text = readFileSync(`${root}electron-builder.yml`, 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const config = parse(text) as any;

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's configuration schema", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema catches mistakes (the test is not vacuous)', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate({ ...config, win: { ...config.win, publisherNmae: 'x' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).toBe(false);
  });

  it('ships only the bundles and the built app, in an asar', () => {
    expect(config.asar).toBe(true);
    expect(config.extraMetadata.main).toBe('out/desktop/main.cjs');
    expect(config.files).toEqual(expect.arrayContaining(['out/desktop/main.cjs', 'out/desktop/preload.cjs', 'dist/renderer/**/*']));
    expect(config.files).toContain('!**/node_modules/**/*');
    expect(config.files.join(' ')).not.toMatch(/backend/);
    expect(config.npmRebuild).toBe(false);
  });

  it('sets every Electron fuse explicitly', () => {
    const fuseNames = Object.keys((schema.definitions as Record<string, { properties: Record<string, unknown> }>).FuseOptionsV1!.properties).filter((k) => k !== 'resetAdHocDarwinSignature');
    expect(Object.keys(config.electronFuses).sort()).toEqual(fuseNames.sort());
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('publishes to the generic feed the backend serves at /updates/<channel>', () => {
    expect(config.publish).toMatchObject({ provider: 'generic' });
    expect(config.publish.url).toMatch(/^https:\/\/.+\/updates\/\$\{channel\}$/);
  });

  it('Windows: NSIS (not one-click, elevation allowed) and per-machine MSI; explicit publisher; sha256', () => {
    const targets = config.win.target.map((t: { target: string }) => t.target);
    expect(targets).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ oneClick: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.win.verifyUpdateCodeSignature).toBe(true);
    expect(config.win.signtoolOptions.publisherName).toEqual([expect.stringMatching(/\S/)]);
    expect(config.win.signtoolOptions.signingHashAlgorithms).toEqual(['sha256']);
  });

  it('macOS: dmg + zip, hardened runtime, microphone entitlement, notarization', () => {
    expect(config.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg', 'zip']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    const plist = readFileSync(`${root}${config.mac.entitlements}`, 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
    expect(plist).not.toMatch(/disable-library-validation|allow-dyld-environment-variables|device\.camera/);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/microphone/);
  });

  it('Linux: AppImage, deb, rpm; switchboard:// registered', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.protocols[0].schemes).toEqual(['switchboard']);
  });

  it('holds no secret: signing comes from the environment only', () => {
    const secretKeys = ['cscLink', 'cscKeyPassword', 'certificateFile', 'certificatePassword', 'cscInstallerLink', 'cscInstallerKeyPassword', 'appleIdPassword', 'password'];
    const walk = (node: unknown, path: string): string[] =>
      node && typeof node === 'object' ? Object.entries(node).flatMap(([k, v]) => [...(secretKeys.includes(k) ? [`${path}.${k}`] : []), ...walk(v, `${path}.${k}`)]) : [];
    expect(walk(config, '')).toEqual([]);
    expect(text).not.toMatch(/-----BEGIN|MII[A-Za-z0-9+/]{40}/);
    const buildFiles = readdirSync(`${root}build`);
    expect(buildFiles.filter((f) => /\.(p12|pfx|pem|key|cer|p8)$/i.test(f))).toEqual([]);
  });
});

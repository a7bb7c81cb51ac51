/**
 * Images made by umoci, buildah and skopeo go through `berth load` and `berth export`
 * and must give exactly the tree `umoci unpack` gives; what `berth save` writes must be
 * accepted by skopeo, umoci and podman.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWith } from '../support/requirements.js';
import { buildFixtures, type Fixtures, type ImageFixture } from '../fixtures/images/build.js';
import { assertBuilt, berth, berthOk } from '../cli/support/run-cli.js';
import { describeTree, extractTar } from './support/tree.js';

let fx: Fixtures;
let work: string;
const reference = new Map<string, string[]>();

function tmp(prefix: string): string {
  return mkdtempSync(join(work, `${prefix}-`));
}

/** `berth export IMAGE` extracted with GNU tar, as comparable lines. */
function exportedTree(root: string, image: string): string[] {
  const dir = tmp('export');
  const tarFile = join(dir, 'fs.tar');
  berthOk(root, ['export', image, '-o', tarFile]);
  const out = join(dir, 'rootfs');
  mkdirSync(out);
  extractTar(tarFile, out);
  return describeTree(out);
}

function refTree(f: ImageFixture): string[] {
  let t = reference.get(f.rootfs);
  if (!t) {
    t = describeTree(f.rootfs);
    reference.set(f.rootfs, t);
  }
  return t;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describeWith(
  ['root', { tool: 'umoci' }, { tool: 'skopeo' }, { tool: 'buildah' }, { tool: 'tar' }],
  'images from real tools',
  () => {
    beforeAll(() => {
      assertBuilt();
      fx = buildFixtures();
      work = mkdtempSync(join(tmpdir(), 'berth-real-tools-'));
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('the reference trees hold what the fixtures promise', () => {
      const umoci = refTree(fx.umoci).join('\n');
      expect(umoci).toMatch(/^f 4755 0:0 usr\/bin\/su-helper /m);
      expect(umoci).toMatch(/^f 2711 0:42 usr\/bin\/sg-helper /m);
      expect(umoci).toMatch(/^l 777 0:0 bin\/sh -> busybox links=1$/m);
      expect(umoci).toMatch(/^f 644 0:0 etc\/passwd .* links=2$/m);
      expect(umoci).toMatch(/^p 620 0:0 opt\/app\/fifo links=1$/m);
      expect(umoci).toMatch(/^f 644 3000000:3000001 opt\/app\/lib\/big-uid /m);
      expect(umoci).toMatch(/^d 1777 0:0 tmp$/m);
      expect(umoci).not.toMatch(/bin\/cat|hello\.txt|sub\/x/);
      const buildah = refTree(fx.buildah).join('\n');
      expect(buildah).toMatch(/^f 644 0:0 etc\/conf\.d 11 /m);
      expect(buildah).toMatch(/^f 755 0:0 bin\/busybox .* links=2$/m);
      expect(buildah).not.toMatch(/opt\/app\/lib|opt\/app\/share|bin\/false/);
      expect(buildah).toMatch(/^f 600 1000:1000 opt\/app\/new\/f /m);
    });

    for (const which of ['umoci', 'buildah'] as const) {
      for (const format of ['layout', 'ociArchive', 'dockerArchive'] as const) {
        it(`${which} ${format}: load, then export gives the umoci unpack tree`, () => {
          const f = fx[which];
          const root = tmp('root');
          const out = berth(root, ['load', '-i', f[format]]);
          expect(out.stderr).toBe('');
          expect(out.code).toBe(0);
          expect(out.stdout).toBe(`Loaded image: ${f.name}\n`);
          expect(exportedTree(root, f.name)).toEqual(refTree(f));
        });
      }
    }

    it('buildah zstd layout: load and export', () => {
      const root = tmp('root');
      expect(berthOk(root, ['load', fx.buildahZstdLayout])).toBe('Loaded image: fixtures/buildah:zstd\n');
      expect(exportedTree(root, 'fixtures/buildah:zstd')).toEqual(refTree(fx.buildah));
    });

    it('the store directory itself is an OCI layout skopeo reads', () => {
      const root = tmp('root');
      berthOk(root, ['load', '-i', fx.umoci.ociArchive]);
      const info = JSON.parse(run('skopeo', ['inspect', `oci:${join(root, 'images')}:v2`]));
      expect(info.Layers).toHaveLength(2);
    });

    for (const which of ['umoci', 'buildah'] as const) {
      describe(`${which}: berth save round trip`, () => {
        let root: string;
        let dir: string;
        let id: string;
        const tag = () => fx[which].name.split(':')[1]!;

        beforeAll(() => {
          root = tmp('root');
          dir = tmp('saved');
          berthOk(root, ['load', '-i', fx[which].dockerArchive]);
          id = berthOk(root, ['images', '-q', '--no-trunc']).trim();
          berthOk(root, ['save', fx[which].name, '-o', join(dir, 'docker.tar')]);
          berthOk(root, ['save', '--format', 'oci-archive', fx[which].name, '-o', join(dir, 'oci.tar')]);
          berthOk(root, ['save', '--format', 'oci-layout', fx[which].name, '-o', join(dir, 'layout')]);
        });

        it('skopeo inspects all three', () => {
          const refs = [
            `docker-archive:${join(dir, 'docker.tar')}`,
            `oci-archive:${join(dir, 'oci.tar')}:${tag()}`,
            `oci:${join(dir, 'layout')}:${tag()}`,
          ];
          for (const ref of refs) {
            const info = JSON.parse(run('skopeo', ['inspect', ref]));
            expect(info.Layers, ref).toHaveLength(2);
            expect(info.Architecture, ref).toBe('amd64');
          }
          const config = JSON.parse(
            run('skopeo', ['inspect', '--config', `docker-archive:${join(dir, 'docker.tar')}`]),
          );
          expect(config.rootfs.diff_ids).toHaveLength(2);
        });

        it('the docker-archive lists RepoTags and uncompressed layers named by diff_id', () => {
          const manifest = JSON.parse(run('tar', ['-xOf', join(dir, 'docker.tar'), 'manifest.json']));
          expect(manifest).toHaveLength(1);
          expect(manifest[0].RepoTags).toEqual([fx[which].name]);
          expect(manifest[0].Config).toBe(`blobs/sha256/${id.slice(7)}`);
          const config = JSON.parse(run('tar', ['-xOf', join(dir, 'docker.tar'), manifest[0].Config]));
          expect(manifest[0].Layers).toEqual(
            config.rootfs.diff_ids.map((d: string) => `blobs/sha256/${d.slice(7)}`),
          );
        });

        it('umoci unpacks the saved layout to the same tree', () => {
          const bundle = join(tmp('bundle'), 'b');
          run('umoci', ['unpack', '--image', `${join(dir, 'layout')}:${tag()}`, bundle]);
          expect(describeTree(join(bundle, 'rootfs'))).toEqual(refTree(fx[which]));
        });

        it('berth loads each saved archive back to the same image and tree', () => {
          for (const file of ['docker.tar', 'oci.tar', 'layout']) {
            const other = tmp('root');
            expect(berthOk(other, ['load', join(dir, file)]), file).toBe(`Loaded image: ${fx[which].name}\n`);
            expect(berthOk(other, ['images', '-q', '--no-trunc']).trim(), file).toBe(id);
          }
          const other = tmp('root');
          berthOk(other, ['load', join(dir, 'docker.tar')]);
          expect(exportedTree(other, fx[which].name)).toEqual(refTree(fx[which]));
        });

        describeWith([{ tool: 'podman' }], 'podman', () => {
          it('podman load accepts the docker-archive and the oci-archive', () => {
            for (const file of ['docker.tar', 'oci.tar']) {
              const storage = tmp('podman');
              const podman = [
                '--root',
                join(storage, 'root'),
                '--runroot',
                join(storage, 'run'),
                '--storage-driver',
                'vfs',
              ];
              const out = run('podman', [...podman, 'load', '-q', '-i', join(dir, file)]);
              expect(out, file).toContain(`Loaded image: docker.io/${fx[which].name}`);
              const images = JSON.parse(run('podman', [...podman, 'images', '--format', 'json']));
              expect(images[0].Id, file).toBe(id.slice(7));
              run('podman', [...podman, 'rmi', '-a', '-f']);
            }
          });
        });
      });
    }

    it('a fixture tampered on disk is refused and the store keeps its content', () => {
      const root = tmp('root');
      berthOk(root, ['load', '-i', fx.buildah.ociArchive]);
      const before = readFileSync(join(root, 'images', 'index.json'), 'utf8');
      const layout = join(tmp('tampered'), 'layout');
      run('cp', ['-a', fx.umoci.layout, layout]);
      const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
      const manifest = JSON.parse(
        readFileSync(join(layout, 'blobs/sha256', index.manifests[0].digest.slice(7)), 'utf8'),
      );
      const layer = join(layout, 'blobs/sha256', manifest.layers[1].digest.slice(7));
      run('sh', ['-c', `printf 'X' | dd of=${layer} bs=1 seek=100 conv=notrunc status=none`]);
      const r = berth(root, ['load', layout]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`^Error: digest mismatch for directory .*${manifest.layers[1].digest.slice(7)}`),
      );
      expect(readFileSync(join(root, 'images', 'index.json'), 'utf8')).toBe(before);
    });
  },
);

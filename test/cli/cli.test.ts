/** Every image verb through `node bin/berth.js`, with Docker's outputs and exit codes. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dockerArchive,
  file,
  ociLayout,
  toTar,
  dir,
  type SyntheticImage,
} from '../images/support/synthetic.js';
import { assertBuilt, berth, berthBin, berthOk } from './support/run-cli.js';

let work: string;
let archive: string;
let dockerTar: string;
let configDigest: string;

const image: SyntheticImage = {
  name: 'example/app:1',
  created: '2020-05-06T07:08:09Z',
  layers: [
    { gzip: true, entries: [dir('etc/'), file('etc/os-release', 'ID=test\n'), file('gone', 'x')] },
    { gzip: true, entries: [file('.wh.gone', ''), file('hello', 'hi\n', 0o755)] },
  ],
  history: [
    {
      created: '2020-05-06T07:08:08Z',
      created_by: '/bin/sh -c #(nop) ADD file:0123456789abcdef0123456789abcdef in / ',
    },
    { created: '2020-05-06T07:08:09Z', created_by: 'CMD ["sh"]', empty_layer: true },
    { created: '2020-05-06T07:08:09Z', created_by: 'COPY hello /', comment: 'buildkit' },
  ],
};

function fresh(): string {
  return mkdtempSync(join(work, 'root-'));
}

function loaded(): string {
  const root = fresh();
  berthOk(root, ['load', '-i', archive]);
  return root;
}

beforeAll(async () => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  const oci = await ociLayout([image]);
  configDigest = oci.built[0]!.config.digest;
  archive = join(work, 'app.oci.tar');
  writeFileSync(archive, await toTar(oci.files));
  dockerTar = join(work, 'app.docker.tar');
  writeFileSync(dockerTar, await toTar((await dockerArchive([{ ...image, name: 'busybox:latest' }])).files));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('berth CLI: global behaviour', () => {
  it('prints usage with every verb, and the version', () => {
    const r = berth(undefined, ['--help']);
    expect(r.code).toBe(0);
    for (const verb of ['images', 'inspect', 'history', 'load', 'save', 'export', 'tag', 'rmi'])
      expect(r.stdout).toContain(`  ${verb} `);
    expect(berth(undefined, ['--version']).stdout).toBe('berth version 0.1.0\n');
  });

  it('has --help for each verb', () => {
    for (const verb of ['images', 'inspect', 'history', 'load', 'save', 'export', 'tag', 'rmi']) {
      const r = berth(fresh(), [verb, '--help']);
      expect(r.code, verb).toBe(0);
      expect(r.stdout, verb).toContain(`Usage:  berth ${verb}`);
    }
    expect(berth(fresh(), ['--help', 'load']).stdout).toContain('Usage:  berth load');
  });

  it('usage errors exit 125 with berth: prefix', () => {
    const unknown = berth(fresh(), ['frob']);
    expect(unknown).toEqual({
      code: 125,
      stdout: '',
      stderr: "berth: 'frob' is not a berth command.\nSee 'berth --help'.\n",
    });
    const flag = berth(fresh(), ['images', '--bogus']);
    expect(flag.code).toBe(125);
    expect(flag.stderr).toMatch(/^berth: unknown option '--bogus'\nSee 'berth images --help'\.\n$/);
    const args = berth(fresh(), ['tag', 'only-one']);
    expect(args.code).toBe(125);
    expect(args.stderr).toContain('"berth tag" requires exactly 2 arguments.');
    expect(berth(fresh(), ['save', 'x', '--format', 'zip']).code).toBe(125);
    expect(berth(undefined, ['--root']).code).toBe(125);
  });

  it('takes the root from --root, $BERTH_ROOT, then $XDG_DATA_HOME/berth', () => {
    const viaEnv = fresh();
    berthOk(viaEnv, ['load', '-q', '-i', archive]);
    expect(berth(undefined, ['images', '-q'], { env: { ...process.env, BERTH_ROOT: viaEnv } }).stdout).toBe(
      `${configDigest.slice(7, 19)}\n`,
    );
    const xdg = fresh();
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: xdg };
    delete env.BERTH_ROOT;
    expect(berth(undefined, ['load', '-i', archive], { env }).code).toBe(0);
    expect(existsSync(join(xdg, 'berth', 'images', 'index.json'))).toBe(true);
    expect(berth(`--root=${viaEnv}`.slice(7), ['images', '-q']).stdout).toBe(
      `${configDigest.slice(7, 19)}\n`,
    );
  });

  it('an unusable root is an engine error (125)', () => {
    const notDir = join(work, 'a-file');
    writeFileSync(notDir, 'x');
    const r = berth(notDir, ['images']);
    expect(r.code).toBe(125);
    expect(r.stderr).toMatch(/^berth: cannot open the image store in /);
  });
});

describe('berth load', () => {
  it('loads with -i, as an argument and from stdin, printing Loaded image like docker', () => {
    expect(berthOk(fresh(), ['load', '-i', archive])).toBe('Loaded image: example/app:1\n');
    expect(berthOk(fresh(), ['load', archive])).toBe('Loaded image: example/app:1\n');
    expect(berthOk(fresh(), ['load'], { input: readFileSync(dockerTar) })).toBe(
      'Loaded image: busybox:latest\n',
    );
    expect(berthOk(fresh(), ['load', '-q', archive])).toBe('');
  });

  it('loads an OCI layout directory', () => {
    const dirPath = join(work, 'layout');
    execFileSync('mkdir', ['-p', dirPath]);
    execFileSync('tar', ['-xf', archive, '-C', dirPath]);
    expect(berthOk(fresh(), ['load', dirPath])).toBe('Loaded image: example/app:1\n');
  });

  it('prints Loaded image ID for an image without a name', async () => {
    const unnamed = join(work, 'unnamed.tar');
    writeFileSync(unnamed, await toTar((await ociLayout([{ ...image, name: 'latest' }])).files));
    expect(berthOk(fresh(), ['load', unnamed])).toBe(`Loaded image ID: ${configDigest}\n`);
  });

  it('fails with exit 1 on a missing file or a broken archive, leaving the store as it was', () => {
    const root = loaded();
    const index = readFileSync(join(root, 'images', 'index.json'), 'utf8');
    const blobs = readdirSync(join(root, 'images', 'blobs', 'sha256')).sort();
    const missing = berth(root, ['load', '-i', join(work, 'nope.tar')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error: .*no such file or directory/);
    const broken = join(work, 'broken.tar');
    writeFileSync(broken, readFileSync(dockerTar).subarray(0, 3000));
    const r = berth(root, ['load', '-i', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*broken\.tar: truncated tar/);
    expect(readFileSync(join(root, 'images', 'index.json'), 'utf8')).toBe(index);
    expect(readdirSync(join(root, 'images', 'blobs', 'sha256')).sort()).toEqual(blobs);
  });
});

describe('berth images, inspect, history', () => {
  it('lists images in docker columns, quietly, as JSON and filtered', () => {
    const root = loaded();
    berthOk(root, ['load', dockerTar]);
    const table = berthOk(root, ['images']).split('\n');
    expect(table[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    expect(table.slice(1, 3).sort()).toEqual([
      expect.stringMatching(
        new RegExp(`^busybox\\s+latest\\s+${configDigest.slice(7, 19)}\\s+\\d+ years ago\\s+\\d+B$`),
      ),
      expect.stringMatching(
        new RegExp(`^example/app\\s+1\\s+${configDigest.slice(7, 19)}\\s+\\d+ years ago\\s+\\d+B$`),
      ),
    ]);
    expect(berthOk(root, ['images', '-q'])).toBe(`${configDigest.slice(7, 19)}\n`.repeat(2));
    const json = berthOk(root, ['images', '--format', 'json'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(json).toHaveLength(2);
    expect(json[0]).toMatchObject({
      ID: configDigest.slice(7, 19),
      CreatedAt: '2020-05-06 07:08:09 +0000 UTC',
    });
    expect(Object.keys(json[0]).sort()).toEqual([
      'Containers',
      'CreatedAt',
      'CreatedSince',
      'Digest',
      'ID',
      'Repository',
      'SharedSize',
      'Size',
      'Tag',
      'UniqueSize',
      'VirtualSize',
    ]);
    expect(berthOk(root, ['images', 'busybox']).split('\n').filter(Boolean)).toHaveLength(2);
    expect(berthOk(root, ['images', '--no-trunc', '-q', 'example/app:1'])).toBe(`${configDigest}\n`);
  });

  it('inspects like docker image inspect, with exit 1 for unknown images', () => {
    const root = loaded();
    const [info] = JSON.parse(berthOk(root, ['inspect', 'example/app:1']));
    expect(info).toMatchObject({
      Id: configDigest,
      RepoTags: ['example/app:1'],
      Created: '2020-05-06T07:08:09Z',
      Architecture: 'amd64',
      Os: 'linux',
      Config: { Cmd: ['/bin/sh'] },
      RootFS: { Type: 'layers' },
    });
    expect(info.RootFS.Layers).toHaveLength(2);
    expect(info.RepoDigests[0]).toMatch(/^example\/app@sha256:[0-9a-f]{64}$/);
    expect(typeof info.Size).toBe('number');
    // as `docker inspect`: a name is tried as a container, then as an image
    expect(berth(root, ['inspect', 'nope'])).toEqual({
      code: 1,
      stdout: '[]\n',
      stderr: 'Error: No such object: nope\n',
    });
    expect(berth(root, ['inspect', '--type', 'image', 'nope']).stderr).toBe('Error: No such image: nope\n');
  });

  it('shows history newest first with <missing> below the top', () => {
    const root = loaded();
    const lines = berthOk(root, ['history', 'example/app:1']).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${configDigest.slice(7, 19)}\\s+\\d+ years ago\\s+COPY hello /\\s+\\d+B\\s+buildkit$`),
    );
    expect(lines[2]).toMatch(/^<missing>\s+\d+ years ago\s+CMD \["sh"\]\s+0B\s*$/);
    expect(lines[3]).toMatch(
      /^<missing>\s+\d+ years ago\s+\/bin\/sh -c #\(nop\) ADD file:0123456789abcdef0…\s+\d+B\s*$/,
    );
    expect(berthOk(root, ['history', '--no-trunc', 'example/app:1'])).toContain(
      'ADD file:0123456789abcdef0123456789abcdef in /',
    );
    expect(berthOk(root, ['history', '-q', 'example/app:1'])).toBe(
      `${configDigest.slice(7, 19)}\n<missing>\n<missing>\n`,
    );
    expect(berth(root, ['history', 'nope'])).toMatchObject({
      code: 1,
      stderr: 'Error: No such image: nope\n',
    });
  });
});

describe('berth tag and rmi', () => {
  it('tags, refuses rmi by ID of a multiply tagged image, untags, and deletes with -f', () => {
    const root = loaded();
    const short = configDigest.slice(7, 19);
    expect(berth(root, ['tag', 'example/app:1', 'mine:v1'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(berthOk(root, ['images', '-q'])).toBe(`${short}\n${short}\n`);
    const conflict = berth(root, ['rmi', short]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toBe(
      `Error: conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories\n`,
    );
    expect(berthOk(root, ['rmi', 'mine:v1'])).toBe('Untagged: mine:v1\n');
    berthOk(root, ['tag', short, 'again']);
    expect(berthOk(root, ['rmi', '-f', short])).toBe(
      `Untagged: example/app:1\nUntagged: again:latest\nDeleted: ${configDigest}\n`,
    );
    expect(berthOk(root, ['images', '-q'])).toBe('');
    expect(readdirSync(join(root, 'images', 'blobs', 'sha256'))).toEqual([]);
  });

  it('rmi of the last name deletes the image; unknown images exit 1 but the others are removed', () => {
    const root = loaded();
    const r = berth(root, ['rmi', 'nope', 'example/app:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: No such image: nope\n');
    expect(r.stdout).toBe(`Untagged: example/app:1\nDeleted: ${configDigest}\n`);
  });

  it('tag of an unknown image exits 1; an invalid target is refused', () => {
    const root = loaded();
    expect(berth(root, ['tag', 'nope', 'x'])).toMatchObject({
      code: 1,
      stderr: 'Error: No such image: nope\n',
    });
    const bad = berth(root, ['tag', 'example/app:1', 'Bad:Name']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: invalid reference format 'Bad:Name'/);
  });
});

describe('two berth processes at once', () => {
  it('serialise their changes to one root through the store lock', async () => {
    const root = fresh();
    const other = join(work, 'other.tar');
    writeFileSync(
      other,
      await toTar(
        (await ociLayout([{ ...image, name: 'second/app:2', created: '2021-01-01T00:00:00Z' }])).files,
      ),
    );
    const run = (args: string[]) =>
      new Promise<number>((resolve) =>
        spawn(process.execPath, [berthBin, '--root', root, ...args], { stdio: 'ignore' }).on('exit', (c) =>
          resolve(c ?? -1),
        ),
      );
    const codes = await Promise.all([run(['load', archive]), run(['load', other]), run(['load', dockerTar])]);
    expect(codes).toEqual([0, 0, 0]);
    const names = berthOk(root, ['images', '--format', 'json'])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).Repository as string)
      .sort();
    expect(names).toEqual(['busybox', 'example/app', 'second/app']);
    expect(existsSync(join(root, 'images.lock'))).toBe(false);
  });
});

describe('berth save and export', () => {
  it('saves to stdout when it is not a terminal, and to files in each format', () => {
    const root = loaded();
    const tarOut = execFileSync(process.execPath, [berthBin, '--root', root, 'save', 'example/app:1'], {
      maxBuffer: 1 << 26,
    });
    expect(berthOk(fresh(), ['load'], { input: tarOut })).toBe('Loaded image: example/app:1\n');
    const out = mkdtempSync(join(work, 'save-'));
    berthOk(root, ['save', '-o', join(out, 'd.tar'), 'example/app:1']);
    berthOk(root, ['save', '--format', 'oci-archive', '-o', join(out, 'o.tar'), 'example/app:1']);
    berthOk(root, ['save', '--format', 'oci-layout', '-o', join(out, 'layout'), 'example/app:1']);
    const members = execFileSync('tar', ['-tf', join(out, 'd.tar')], { encoding: 'utf8' });
    expect(members).toContain('manifest.json\n');
    expect(members).toContain('repositories\n');
    expect(readdirSync(join(out, 'layout')).sort()).toEqual(['blobs', 'index.json', 'oci-layout']);
    for (const f of ['d.tar', 'o.tar', 'layout'])
      expect(berthOk(fresh(), ['load', join(out, f)]), f).toBe('Loaded image: example/app:1\n');
    expect(
      berth(root, ['save', '--format', 'oci-layout', '-o', join(out, 'layout'), 'example/app:1']).code,
    ).toBe(1);
    expect(berth(root, ['save', '-o', join(out, 'x.tar'), 'nope'])).toMatchObject({
      code: 1,
      stderr: 'Error: No such image: nope\n',
    });
  });

  it('exports the flattened filesystem', () => {
    const root = loaded();
    const out = join(mkdtempSync(join(work, 'export-')), 'fs.tar');
    berthOk(root, ['export', 'example/app:1', '-o', out]);
    const members = execFileSync('tar', ['-tvf', out], { encoding: 'utf8' });
    expect(members).toMatch(/^-rwxr-xr-x 0\/0 +3 .* hello$/m);
    expect(members).toMatch(/ etc\/os-release$/m);
    expect(members).not.toMatch(/gone|\.wh\./);
    expect(berth(root, ['export', 'nope', '-o', out]).code).toBe(1);
  });
});

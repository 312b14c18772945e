import { findRelease, latestRelease, tagCommit } from '../../../scripts/github/releases';
import { RefusedError } from '../../../scripts/core/errors';
import { commitOf, startFakeGithub, type FakeGithub } from '../../_helpers/release-world';

let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub();
});
afterAll(() => github.close());
beforeEach(() => {
  github.releases = [
    { tag_name: 'v1.0.0', published_at: '2026-01-01T00:00:00Z' },
    { tag_name: 'v1.1.0', published_at: '2026-02-01T00:00:00Z' },
    { tag_name: 'v1.2.0-rc.1', prerelease: true, published_at: '2026-03-01T00:00:00Z' },
    { tag_name: 'v1.2.0', draft: true, published_at: null },
  ];
  github.requests.length = 0;
  github.tagRefs = {};
  github.tagObjects = {};
});

const options = () => ({ repository: 'example-org/backend', apiUrl: `${github.url}/`, token: 't0ken' });

describe('findRelease', () => {
  test('returns a published release and sends the token', async () => {
    // WHEN
    const release = await findRelease(options(), 'v1.1.0');

    // THEN
    expect(release).toMatchObject({ tag: 'v1.1.0', draft: false, prerelease: false, publishedAt: '2026-02-01T00:00:00Z' });
    expect(github.requests).toEqual([{ path: '/repos/example-org/backend/releases/tags/v1.1.0', authorization: 'Bearer t0ken' }]);
  });

  test('refuses a tag without a release, and a draft', async () => {
    await expect(findRelease(options(), 'v0.1.0')).rejects.toThrow(RefusedError);
    await expect(findRelease(options(), 'v0.1.0')).rejects.toThrow('no GitHub release v0.1.0 in example-org/backend');
    await expect(findRelease(options(), 'v1.2.0')).rejects.toThrow(
      'GitHub release v1.2.0 in example-org/backend is a draft; publish it first',
    );
  });

  test('refuses when GitHub cannot be reached', async () => {
    await expect(findRelease({ repository: 'example-org/backend', apiUrl: 'http://127.0.0.1:9' }, 'v1.0.0')).rejects.toThrow(
      /^cannot reach GitHub at http:\/\/127.0.0.1:9/,
    );
  });
});

describe('latestRelease', () => {
  test("is GitHub's latest without pre-releases, the newest non-draft with them", async () => {
    expect((await latestRelease(options(), false)).tag).toBe('v1.1.0');
    expect((await latestRelease(options(), true)).tag).toBe('v1.2.0-rc.1');
  });

  test('refuses a repository without a published release', async () => {
    // GIVEN
    github.releases = [{ tag_name: 'v1.0.0', draft: true }];

    // WHEN / THEN
    await expect(latestRelease(options(), false)).rejects.toThrow(
      'example-org/backend has no published release on GitHub; publish one, or pass --tag',
    );
    await expect(latestRelease(options(), true)).rejects.toThrow('example-org/backend has no published release on GitHub');
  });
});

describe('tagCommit', () => {
  const annotated = (n: number) => String(n).repeat(40);

  test('a lightweight tag is its commit, asked for by its exact ref', async () => {
    // WHEN
    const commit = await tagCommit(options(), 'v1.1.0');

    // THEN
    expect(commit).toBe(commitOf('v1.1.0'));
    expect(github.requests).toEqual([{ path: '/repos/example-org/backend/git/ref/tags/v1.1.0', authorization: 'Bearer t0ken' }]);
  });

  test('an annotated tag is dereferenced to the commit it tags, through a tag of a tag too', async () => {
    // GIVEN v1.1.0 is an annotated tag whose object is another tag object, which tags the commit
    github.tagRefs['v1.1.0'] = { type: 'tag', sha: annotated(1) };
    github.tagObjects[annotated(1)] = { type: 'tag', sha: annotated(2) };
    github.tagObjects[annotated(2)] = { type: 'commit', sha: commitOf('the real commit') };

    // WHEN
    const commit = await tagCommit(options(), 'v1.1.0');

    // THEN
    expect(commit).toBe(commitOf('the real commit'));
    expect(github.requests.map((r) => r.path)).toEqual([
      '/repos/example-org/backend/git/ref/tags/v1.1.0',
      `/repos/example-org/backend/git/tags/${annotated(1)}`,
      `/repos/example-org/backend/git/tags/${annotated(2)}`,
    ]);
  });

  test('refuses a tag GitHub does not have, and one that tags no commit', async () => {
    // GIVEN
    github.tagRefs['v1.1.0'] = { type: 'tag', sha: annotated(3) };
    github.tagObjects[annotated(3)] = { type: 'tree', sha: annotated(4) };

    // WHEN / THEN
    await expect(tagCommit(options(), 'v9.9.9')).rejects.toThrow(new RefusedError('GitHub has no tag v9.9.9 in example-org/backend'));
    await expect(tagCommit(options(), 'v1.1.0')).rejects.toThrow(
      'tag v1.1.0 in example-org/backend does not point at a commit (tree); a release tag must',
    );
  });
});

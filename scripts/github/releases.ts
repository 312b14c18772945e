import { RefusedError } from '../core/errors';

/** Where and how to ask GitHub about releases. */
export interface GithubOptions {
  /** `owner/name` of the application repository. */
  readonly repository: string;
  /** a token (`GITHUB_TOKEN`) for private repositories and a higher rate limit. @default - anonymous */
  readonly token?: string;
  /** the API base (`GITHUB_API_URL`). @default 'https://api.github.com' */
  readonly apiUrl?: string;
  /** how long one request may take. @default 10000 */
  readonly timeoutMs?: number;
}

/** A GitHub release, as much of it as berth uses. */
export interface GithubRelease {
  /** the release's tag, e.g. `v1.4.0`. */
  readonly tag: string;
  /** the release title. */
  readonly name: string;
  /** whether it is a draft (never promoted). */
  readonly draft: boolean;
  /** whether GitHub marks it a pre-release. */
  readonly prerelease: boolean;
  /** when it was published. */
  readonly publishedAt?: string;
  /** its page. */
  readonly url: string;
}

interface ReleaseBody {
  tag_name?: string;
  name?: string | null;
  draft?: boolean;
  prerelease?: boolean;
  published_at?: string | null;
  html_url?: string;
}

/** The default GitHub API base. */
export const GITHUB_API_URL = 'https://api.github.com';

async function get(options: GithubOptions, path: string): Promise<{ status: number; body: unknown }> {
  const base = (options.apiUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
  const url = `${base}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: {
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'berth-cli',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new RefusedError(`cannot reach GitHub at ${base} (${cause}); check the network or GITHUB_API_URL`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new RefusedError(
      `GitHub refused ${path} with ${response.status}; set GITHUB_TOKEN to a token that can read ${options.repository} (rate limit or private repository)`,
    );
  }
  const body: unknown = response.status === 404 ? undefined : await response.json().catch(() => undefined);
  if (response.status !== 404 && !response.ok) {
    throw new RefusedError(`GitHub answered ${path} with ${response.status}; try again, or check GITHUB_API_URL`);
  }
  return { status: response.status, body };
}

function toRelease(body: ReleaseBody): GithubRelease {
  return {
    tag: body.tag_name ?? '',
    name: body.name ?? body.tag_name ?? '',
    draft: Boolean(body.draft),
    prerelease: Boolean(body.prerelease),
    ...(body.published_at ? { publishedAt: body.published_at } : {}),
    url: body.html_url ?? '',
  };
}

/**
 * Checks that a published (not draft) GitHub release exists for a tag, and returns it.
 * @param options repository, token and API base
 * @param tag the release tag
 */
export async function findRelease(options: GithubOptions, tag: string): Promise<GithubRelease> {
  const { status, body } = await get(options, `/repos/${options.repository}/releases/tags/${encodeURIComponent(tag)}`);
  if (status === 404 || typeof body !== 'object' || body === null) {
    throw new RefusedError(`no GitHub release ${tag} in ${options.repository}; publish the release first (a tag alone is not a release)`);
  }
  const release = toRelease(body as ReleaseBody);
  if (release.draft) throw new RefusedError(`GitHub release ${tag} in ${options.repository} is a draft; publish it first`);
  return release;
}

/**
 * The newest published release: GitHub's "latest" (no drafts, no pre-releases), or with pre-releases the
 * newest non-draft release by publication time.
 * @param options repository, token and API base
 * @param includePrereleases whether a pre-release may be the answer
 */
export async function latestRelease(options: GithubOptions, includePrereleases: boolean): Promise<GithubRelease> {
  if (!includePrereleases) {
    const { status, body } = await get(options, `/repos/${options.repository}/releases/latest`);
    if (status === 404 || typeof body !== 'object' || body === null) {
      throw new RefusedError(`${options.repository} has no published release on GitHub; publish one, or pass --tag`);
    }
    return toRelease(body as ReleaseBody);
  }
  const { body } = await get(options, `/repos/${options.repository}/releases?per_page=30`);
  const releases = (Array.isArray(body) ? (body as ReleaseBody[]) : []).map(toRelease).filter((r) => !r.draft && r.publishedAt);
  releases.sort((a, b) => Date.parse(b.publishedAt ?? '') - Date.parse(a.publishedAt ?? ''));
  if (releases.length === 0) throw new RefusedError(`${options.repository} has no published release on GitHub; publish one, or pass --tag`);
  return releases[0];
}

interface GitObjectBody {
  object?: { type?: string; sha?: string };
}

/** Annotated tags can point at other tags; no real repository nests them deeper than this. */
const MAX_TAG_DEPTH = 5;

/**
 * The commit a tag points at: the tag's ref, dereferenced through annotated tag objects. This is the commit the
 * workflows built as `sha-<commit>`.
 * @param options repository, token and API base
 * @param tag the tag, e.g. `v1.4.0`
 * @returns the full commit SHA
 */
export async function tagCommit(options: GithubOptions, tag: string): Promise<string> {
  // git/ref (singular) matches the ref exactly; git/refs would also answer with every tag that starts with it.
  const { status, body } = await get(options, `/repos/${options.repository}/git/ref/tags/${encodeURIComponent(tag)}`);
  let object = (body as GitObjectBody | undefined)?.object;
  if (status === 404 || !object) throw new RefusedError(`GitHub has no tag ${tag} in ${options.repository}`);
  for (let depth = 0; object?.type === 'tag' && depth < MAX_TAG_DEPTH; depth++) {
    const tagObject = await get(options, `/repos/${options.repository}/git/tags/${object.sha ?? ''}`);
    object = (tagObject.body as GitObjectBody | undefined)?.object;
  }
  if (object?.type !== 'commit' || !object.sha || !/^[0-9a-f]{40}$/.test(object.sha)) {
    throw new RefusedError(
      `tag ${tag} in ${options.repository} does not point at a commit (${object?.type ?? 'nothing'}); a release tag must`,
    );
  }
  return object.sha;
}

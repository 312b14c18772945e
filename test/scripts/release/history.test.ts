import type { ImageTagVersion } from '../../../scripts/aws/image-tag';
import { type RevisionRecord, revisionsOfVersions } from '../../../scripts/release/history';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';

/** `2026-11-<day>T<hh>:<mm>Z`. */
function at(day: number, time = '12:00'): Date {
  return new Date(`2026-11-${String(day).padStart(2, '0')}T${time}:00Z`);
}

function version(n: number, tag: string, when: Date): ImageTagVersion {
  return { version: n, tag, at: when };
}

function revision(n: number, tag: string, when: Date, restores?: number): RevisionRecord {
  return {
    taskDefinition: `arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:${n}`,
    revision: n,
    image: `${REPO}:${tag}`,
    registeredAt: when,
    ...(restores !== undefined ? { restores: `berth-live:${restores}` } : {}),
  };
}

const runs = (r: RevisionRecord, v: ImageTagVersion) => r.image === `${REPO}:${v.tag}`;

describe('the revision that ran each release', () => {
  test.each([
    [
      'the first release after a rollback (the shared stack wrote version 1 before live existed)',
      // shared stack: v1.0.0; live stack: :1; promote v1.2.3: :2; rollback to v1.0.0: :3.
      [version(1, 'v1.0.0', at(1)), version(2, 'v1.2.3', at(3)), version(3, 'v1.0.0', at(4))],
      [revision(1, 'v1.0.0', at(2, '09:00')), revision(2, 'v1.2.3', at(3, '11:45')), revision(3, 'v1.0.0', at(4, '11:50'))],
      { 1: 1, 2: 2, 3: 3 },
    ],
    [
      'repeated tags: each rollback to a tag has its own revision',
      [version(1, 'v1.2.0', at(1)), version(2, 'v1.3.0', at(2)), version(3, 'v1.2.0', at(3)), version(4, 'v1.3.0', at(4))],
      [
        revision(5, 'v1.2.0', at(1, '11:00')),
        revision(6, 'v1.3.0', at(2, '11:00')),
        revision(7, 'v1.2.0', at(3, '11:00')),
        revision(8, 'v1.3.0', at(4, '11:00')),
      ],
      { 1: 5, 2: 6, 3: 7, 4: 8 },
    ],
    [
      'a cdk deploy in between registers the running release again: the release keeps the revision berth deployed',
      [version(1, 'v1.0.0', at(1)), version(2, 'v1.1.0', at(5)), version(3, 'v1.2.0', at(8))],
      [
        revision(1, 'v1.0.0', at(1, '13:00')), // the live stack, after the shared stack wrote version 1
        revision(2, 'v1.0.0', at(3)), // cdk deploy that changed the task definition
        revision(3, 'v1.1.0', at(5, '11:40')),
        revision(4, 'v1.1.0', at(6)), // cdk deploy again
        revision(5, 'v1.2.0', at(8, '11:40')),
      ],
      { 1: 1, 2: 3, 3: 5 },
    ],
    [
      'restore copies after a failed release are never a release',
      [version(1, 'v1.0.0', at(1)), version(2, 'v1.1.0', at(5)), version(3, 'v1.0.0', at(7))],
      [
        revision(1, 'v1.0.0', at(1, '13:00')),
        revision(2, 'v1.1.0', at(3)), // its deployment rolled back
        revision(3, 'v1.0.0', at(3, '12:30'), 1), // the copy of :1 berth registered after it
        revision(4, 'v1.1.0', at(5, '11:40')), // the second try, which succeeded
        revision(5, 'v1.0.0', at(7, '11:40')), // the rollback
      ],
      { 1: 1, 2: 4, 3: 5 },
    ],
    [
      'a release whose revisions were not read is left without one',
      [version(1, 'v1.0.0', at(1)), version(2, 'v1.1.0', at(5))],
      [revision(9, 'v1.1.0', at(5, '11:40'))],
      { 1: undefined, 2: 9 },
    ],
  ])('%s', (_case, versions, revisions, expected) => {
    // WHEN
    const ran = revisionsOfVersions(versions, revisions, runs);

    // THEN
    expect(Object.fromEntries([...ran].map(([v, r]) => [v, r?.revision]))).toEqual(expected);
  });
});

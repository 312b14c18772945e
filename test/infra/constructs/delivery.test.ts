import { Match } from 'aws-cdk-lib/assertions';
import { synthBerth } from '../../_helpers/synth';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

describe('delivery from the application repository (github.repository set)', () => {
  const { shared, stacks } = synthBerth();
  const roles = shared.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('GitHub Actions') } });
  const roleId = (pattern: RegExp) => Object.keys(roles).find((id) => pattern.test(id))!;
  const buildRole = roleId(/BuildRole/);
  const preDeployRole = roleId(/PreDeployRole/);
  const statementsOf = (role: string): Statement[] =>
    Object.values(shared.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);

  test('creates the GitHub OIDC provider for the STS audience, without a custom resource', () => {
    // THEN
    shared.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
    shared.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
    // the one function is berth's custom-resource handler (live's image-tag parameter).
    expect(Object.keys(shared.findResources('AWS::Lambda::Function'))).toEqual(['BerthHandlerFunction53DA2EF1']);
  });

  test('the build role trusts only master and release tags of the configured repository, for the STS audience', () => {
    // THEN
    expect(roles[buildRole].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: { Ref: expect.stringMatching(/GithubProvider/) } },
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: {
            'token.actions.githubusercontent.com:sub': [
              'repo:example-org/backend:ref:refs/heads/master',
              'repo:example-org/backend:ref:refs/tags/v*',
            ],
          },
        },
      }),
    ]);
  });

  test('the pre-deploy role trusts only the master branch', () => {
    // THEN
    expect(roles[preDeployRole].Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:example-org/backend:ref:refs/heads/master'] },
    });
  });

  test('the build role can push to the one repository and do nothing else', () => {
    // GIVEN
    const repository = { 'Fn::GetAtt': [Object.keys(shared.findResources('AWS::ECR::Repository'))[0], 'Arn'] };

    // THEN
    expect(statementsOf(buildRole)).toEqual([
      expect.objectContaining({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
      expect.objectContaining({
        Action: expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload']),
        Resource: repository,
      }),
    ]);
    const actions = statementsOf(buildRole).flatMap((s) => [s.Action].flat());
    expect(actions.every((a) => a.startsWith('ecr:'))).toBe(true);
    expect(actions).not.toContain('ecr:DeleteRepository');
    expect(actions).not.toContain('ecr:BatchDeleteImage');
  });

  // what the pre-deploy role may do is evaluated in delivery-iam.test.ts.

  test('the role ARNs and the repository URI are stack outputs for the workflows', () => {
    // THEN
    shared.hasOutput('BuildRoleArn', { Value: { 'Fn::GetAtt': [buildRole, 'Arn'] } });
    shared.hasOutput('PreDeployRoleArn', { Value: { 'Fn::GetAtt': [preDeployRole, 'Arn'] } });
    shared.hasOutput('RepositoryUri', {});
    expect(stacks.shared.delivery).toBeDefined();
  });
});

describe('delivery from a branch called main (github.branch)', () => {
  const { shared } = synthBerth((raw) => {
    raw.github = { repository: 'example-org/backend', branch: 'main' };
  });
  const roles = shared.findResources('AWS::IAM::Role', { Properties: { Description: Match.stringLikeRegexp('GitHub Actions') } });
  const subjectsOf = (pattern: RegExp) =>
    Object.entries(roles).find(([id]) => pattern.test(id))![1].Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringLike[
      'token.actions.githubusercontent.com:sub'
    ];

  test('both roles trust that branch and no other; the build role also trusts release tags', () => {
    // THEN
    expect(subjectsOf(/BuildRole/)).toEqual(['repo:example-org/backend:ref:refs/heads/main', 'repo:example-org/backend:ref:refs/tags/v*']);
    expect(subjectsOf(/PreDeployRole/)).toEqual(['repo:example-org/backend:ref:refs/heads/main']);
  });

  test("the roles' descriptions name it", () => {
    // THEN
    expect(Object.values(roles).map((r) => r.Properties.Description)).toEqual([
      'berth berth: GitHub Actions of example-org/backend push images (main, v*) to ECR',
      'berth berth: GitHub Actions of example-org/backend on main run berth deploy pre',
    ]);
  });
});

describe('delivery with an existing OIDC provider', () => {
  const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
  const { shared } = synthBerth((raw) => {
    raw.github = { repository: 'example-org/backend', oidcProviderArn: arn };
  });

  test('imports it instead of creating a second one', () => {
    // THEN
    shared.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    shared.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Federated: arn } })] },
    });
  });
});

describe('without github.repository', () => {
  const { shared } = synthBerth((raw) => {
    delete raw.github;
  });

  test('there is no provider, no delivery role and no role output', () => {
    // THEN
    shared.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(Object.keys(shared.findOutputs('*')).filter((o) => !o.startsWith('ExportsOutput'))).toEqual(['RepositoryUri']);
  });
});

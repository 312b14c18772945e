import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import type {
  AwsCredentialIdentity,
  FinalizeRequestMiddleware,
  HandlerExecutionContext,
  InitializeMiddleware,
  MetadataBearer,
  MiddlewareStack,
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
  StandardRetryToken,
} from '@smithy/types';
import { UnreachableError, UsageError } from '../core/errors';

/** What every AWS client of one CLI run is built with. */
export interface AwsOptions {
  /** the region of the stacks. */
  readonly region: string;
  /** a named profile, when `--profile` was given. */
  readonly profile?: string;
  /** the credentials of the role `--role` assumed; the profile (or the SDK's chain) only assumed it. */
  readonly credentials?: AwsCredentialIdentity;
  /** how long berth waits for AWS, and how often it tries again. @default DEFAULT_NETWORK_LIMITS */
  readonly network?: NetworkLimits;
}

/** How long a call to AWS may take, and how often it is tried. */
export interface NetworkLimits {
  /** milliseconds to open the connection. */
  readonly connectTimeoutMs: number;
  /** milliseconds for one attempt, from sending the request to the answer, and of silence while the answer arrives. */
  readonly requestTimeoutMs: number;
  /** attempts of a call AWS answers with throttling or a passing error, with back-off in between. */
  readonly maxAttempts: number;
  /** attempts of a call that gets no answer at all (a timeout, a refused connection, a name that does not resolve). */
  readonly attemptsWithoutAnswer: number;
}

/**
 * A few seconds to connect, tens of seconds per attempt, and one more attempt when nothing answers:
 * an endpoint that accepts the connection and never answers ends the command after
 * {@link worstCaseSeconds} (about 40 s), throttling is still retried six times with back-off.
 */
export const DEFAULT_NETWORK_LIMITS: NetworkLimits = {
  connectTimeoutMs: 5_000,
  requestTimeoutMs: 20_000,
  maxAttempts: 6,
  attemptsWithoutAnswer: 2,
};

/**
 * The longest a call waits when nothing answers: every attempt runs into its timeout (the SDK's request
 * timer covers the connection too), plus the SDK's first back-off (at most 50 ms each).
 * @param limits the limits of a run
 */
export function worstCaseSeconds(limits: NetworkLimits): number {
  return (limits.attemptsWithoutAnswer * limits.requestTimeoutMs + (limits.attemptsWithoutAnswer - 1) * 50) / 1000;
}

const LIMIT_VARIABLES = {
  connectTimeoutMs: 'BERTH_AWS_CONNECT_TIMEOUT_MS',
  requestTimeoutMs: 'BERTH_AWS_REQUEST_TIMEOUT_MS',
} as const;

/**
 * The network limits of a run: {@link DEFAULT_NETWORK_LIMITS}, with the timeouts from
 * `BERTH_AWS_CONNECT_TIMEOUT_MS` and `BERTH_AWS_REQUEST_TIMEOUT_MS` when set (a slow link, or a test).
 * @param env the process environment
 */
export function networkLimits(env: NodeJS.ProcessEnv): NetworkLimits {
  const limits: { -readonly [K in keyof NetworkLimits]: number } = { ...DEFAULT_NETWORK_LIMITS };
  for (const [key, variable] of Object.entries(LIMIT_VARIABLES) as [keyof typeof LIMIT_VARIABLES, string][]) {
    const text = env[variable];
    if (text === undefined || text === '') continue;
    if (!/^[1-9]\d{0,6}$/.test(text))
      throw new UsageError(`${variable} "${text}" is not valid; allowed: a whole number of milliseconds, such as 20000`);
    limits[key] = Number(text);
  }
  return limits;
}

/** Node's codes for a connection that never got an answer: the SDK classifies them as transient. */
const NO_ANSWER_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
]);

type SdkError = Error & {
  readonly code?: string;
  readonly hostname?: string;
  readonly $response?: { readonly statusCode?: number; readonly headers?: Readonly<Record<string, string>> };
  readonly $metadata?: { readonly attempts?: number; readonly httpStatusCode?: number };
};

/** Whether a call ended without any answer from the endpoint. */
function gotNoAnswer(error: SdkError): boolean {
  return error.$response === undefined && (error.name === 'TimeoutError' || NO_ANSWER_CODES.has(error.code ?? ''));
}

/** Whether the endpoint answered, but not as AWS does: an HTML page of a proxy, a portal or a web server. */
function notAwsAnswer(error: SdkError): boolean {
  const type = error.$response?.headers?.['content-type'] ?? '';
  return /html/i.test(type) || (error.name === 'SyntaxError' && error.$response !== undefined);
}

/**
 * The SDK's adaptive retry (throttling and passing errors, up to `maxAttempts` with back-off), except that a
 * call that got no answer is tried only `attemptsWithoutAnswer` times: retrying a dead endpoint five
 * more times would keep an operator waiting for minutes.
 */
class BoundedRetryStrategy implements RetryStrategyV2 {
  /** the retry mode of the strategy it bounds. */
  readonly mode = 'adaptive';
  private readonly inner: AdaptiveRetryStrategy;

  constructor(private readonly limits: NetworkLimits) {
    this.inner = new AdaptiveRetryStrategy(limits.maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  // the tokens cast below are those the inner strategy handed out.
  refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    // the retry middleware rethrows the call's own error when no token comes back.
    if (gotNoAnswer(errorInfo.error as SdkError) && token.getRetryCount() + 1 >= this.limits.attemptsWithoutAnswer) {
      return Promise.reject(errorInfo.error);
    }
    return this.inner.refreshRetryTokenForRetry(token as StandardRetryToken, errorInfo);
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token as StandardRetryToken);
  }
}

/**
 * Client configuration shared by every SDK client berth creates: adaptive retry so throttling during an
 * incident (many operators, many calls) is retried with back-off instead of failing the command, and
 * timeouts so that no call waits forever. The SDK itself honours AWS_ENDPOINT_URL (and
 * AWS_ENDPOINT_URL_<SERVICE>).
 * @param options region, profile and network limits of the run
 */
export function clientConfig(options: AwsOptions) {
  const limits = options.network ?? DEFAULT_NETWORK_LIMITS;
  return {
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : options.profile ? { profile: options.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: limits.maxAttempts,
    retryStrategy: new BoundedRetryStrategy(limits),
    // without throwOnRequestTimeout the SDK only warns when requestTimeout passes (@smithy/types NodeHttpHandlerOptions);
    // socketTimeout bounds the silence while an answer's body arrives, after its headers.
    requestHandler: {
      connectionTimeout: limits.connectTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: limits.requestTimeoutMs,
    },
  };
}

/** The configuration {@link clientConfig} builds, which every SDK v3 client constructor accepts. */
export type ClientConfig = ReturnType<typeof clientConfig>;

/** An SDK v3 client class, such as `ECSClient`. */
export type ClientClass<C> = new (config: ClientConfig) => C;

/** What the run's middleware keeps about a call, for the message when the endpoint does not answer. */
interface CallContext extends HandlerExecutionContext {
  berthEndpoint?: string;
}

/** `ECS` from `ECSClient`, the service as operators name it. */
function serviceOf(context: HandlerExecutionContext): string {
  return (context.clientName ?? 'AWS').replace(/Client$/, '') || 'AWS';
}

/**
 * The one line for a call that got no answer, or one that is not AWS's: which service, which endpoint,
 * the likely cause, what to check.
 */
function unreachable(error: SdkError, context: CallContext, limits: NetworkLimits): UnreachableError | undefined {
  const service = serviceOf(context);
  const endpoint = context.berthEndpoint ?? 'its endpoint';
  const check = 'check the network, VPN and proxy, and AWS_ENDPOINT_URL if it is set';
  if (notAwsAnswer(error)) {
    const status = error.$response?.statusCode ?? error.$metadata?.httpStatusCode;
    return new UnreachableError(
      `${service} at ${endpoint} answered with a web page${status ? ` (HTTP ${status})` : ''}, not as AWS does: a proxy, captive portal or wrong AWS_ENDPOINT_URL is in the way; ${check}`,
    );
  }
  if (!gotNoAnswer(error)) return undefined;
  const attempts = `${error.$metadata?.attempts ?? 1} attempt(s)`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    const name = error.hostname ? `the name ${error.hostname}` : 'its name';
    return new UnreachableError(
      `cannot reach ${service} at ${endpoint}: ${name} does not resolve (DNS); check the network, VPN, --region, and AWS_ENDPOINT_URL if it is set`,
    );
  }
  if (error.code === 'ECONNREFUSED') {
    return new UnreachableError(`cannot reach ${service} at ${endpoint}: the connection was refused (${attempts}); ${check}`);
  }
  if (error.name === 'TimeoutError') {
    return new UnreachableError(
      `no answer from ${service} at ${endpoint} within ${limits.requestTimeoutMs / 1000}s (${attempts}); ${check}`,
    );
  }
  return new UnreachableError(`cannot reach ${service} at ${endpoint}: ${error.code ?? error.name} (${attempts}); ${check}`);
}

/**
 * Adds berth's two middlewares to a client: one notes the endpoint each attempt goes to, and refuses an
 * HTML answer that a protocol would otherwise read as an empty success (ELB's XML parser does); the
 * outermost turns a call that got no answer into one {@link UnreachableError} line, after the retries.
 */
function reportUnreachable(client: { readonly middlewareStack: MiddlewareStack<object, MetadataBearer> }, limits: NetworkLimits): void {
  const outer: InitializeMiddleware<object, MetadataBearer> = (next, context: CallContext) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      throw (err instanceof Error && unreachable(err as SdkError, context, limits)) || err;
    }
  };
  const inner: FinalizeRequestMiddleware<object, MetadataBearer> = (next, context: CallContext) => async (args) => {
    const request = args.request as { protocol?: string; hostname?: string; port?: number };
    context.berthEndpoint = `${request.protocol ?? 'https:'}//${request.hostname ?? '?'}${request.port ? `:${request.port}` : ''}`;
    const result = await next(args);
    const response = result.response as { statusCode?: number; headers?: Record<string, string> };
    if (/html/i.test(response.headers?.['content-type'] ?? '')) {
      throw Object.assign(new Error('an HTML answer'), { name: 'HtmlAnswer', $response: response });
    }
    return result;
  };
  client.middlewareStack.add(outer, { step: 'initialize', priority: 'high', name: 'berthUnreachable' });
  client.middlewareStack.add(inner, { step: 'finalizeRequest', priority: 'low', name: 'berthEndpoint' });
}

/**
 * The one place that builds the SDK clients of a run: each client class once, all with
 * {@link clientConfig}. Commands ask for the clients they use (`clients.get(ECSClient)`) and never
 * construct one, so a setting every client needs is made here, once.
 */
export class AwsClients {
  private readonly built = new Map<ClientClass<unknown>, unknown>();

  constructor(
    /** region, profile and network limits of every client. */
    readonly options: AwsOptions,
  ) {}

  /**
   * The run's client of one class, built on first use.
   * @param Client the SDK client class, e.g. `ECSClient`
   */
  get<C>(Client: ClientClass<C>): C {
    let client = this.built.get(Client) as C | undefined;
    if (client === undefined) {
      client = new Client(clientConfig(this.options));
      // every SDK v3 client has a middleware stack; its input and output types differ per service.
      reportUnreachable(client as unknown as Parameters<typeof reportUnreachable>[0], this.options.network ?? DEFAULT_NETWORK_LIMITS);
      this.built.set(Client, client);
    }
    return client;
  }
}

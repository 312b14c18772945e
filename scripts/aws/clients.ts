/** What every AWS client of one CLI run is built with. */
export interface AwsOptions {
  /** the region of the stacks. */
  readonly region: string;
  /** a named profile, when `--profile` was given. */
  readonly profile?: string;
}

/**
 * Client configuration shared by every SDK client berth creates: adaptive retry so throttling during
 * an incident (many operators, many calls) is retried with back-off instead of failing the command.
 * The SDK itself honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>).
 */
export function clientConfig(options: AwsOptions) {
  return {
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 6,
  };
}

/** The configuration {@link clientConfig} builds, which every SDK v3 client constructor accepts. */
export type ClientConfig = ReturnType<typeof clientConfig>;

/** An SDK v3 client class, such as `ECSClient`. */
export type ClientClass<C> = new (config: ClientConfig) => C;

/**
 * The one place that builds the SDK clients of a run: each client class once, all with
 * {@link clientConfig}. Commands ask for the clients they use (`clients.get(ECSClient)`) and never
 * construct one, so a setting every client needs is made here, once.
 */
export class AwsClients {
  private readonly built = new Map<ClientClass<unknown>, unknown>();

  constructor(
    /** region and profile of every client. */
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
      this.built.set(Client, client);
    }
    return client;
  }
}

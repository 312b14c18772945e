/** The row and source types of the generated tables in this folder (no aws-cdk-lib: the CLI bundles them). */

/** A public source a generated table was built from. */
export interface TableSource {
  /** what the source is. */
  readonly title: string;
  /** the GitHub repository, `owner/name`. */
  readonly repository: string;
  /** the file's path in the repository. */
  readonly path: string;
  /** the commit the copy was taken at. */
  readonly commit: string;
  /** the date of that commit, `YYYY-MM-DD`. */
  readonly date: string;
  /** the licence of the source (SPDX id). */
  readonly licence: string;
  /** which columns of the table come from it. */
  readonly gives: string;
  /** SHA-256 of the copy the generator read. */
  readonly sha256: string;
}

/** One EC2 instance type, as the generated table holds it. */
export interface GeneratedInstanceType {
  /** CPU architecture, as the ECS-optimized AMI names it. */
  readonly architecture: 'x86_64' | 'arm64';
  /** nominal vCPUs; ECS registers 1024 CPU units for each. */
  readonly vcpus: number;
  /** nominal memory in MiB (what EC2 advertises, more than ECS registers). */
  readonly memoryMiB: number;
  /** network interfaces the instance takes (of its default network card); one is its own. */
  readonly maxNetworkInterfaces: number;
  /** awsvpc tasks with ECS ENI trunking, or null when ECS does not list the type as supported. */
  readonly trunkedTaskLimit: number | null;
}

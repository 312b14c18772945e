/**
 * The CloudFormation custom-resource protocol for berth's deploy-time handlers: the request CloudFormation
 * sends to the function, and the response the function puts to the request's pre-signed URL.
 * Source: CloudFormation user guide, "Custom resources", request and response objects.
 *
 * Nothing in infra/handlers/ may import aws-cdk-lib: this code runs in Lambda, bundled at synth.
 */

/** The properties CloudFormation passes: every scalar arrives as a string, whatever the template says. */
export type ResourceProperties = Readonly<Record<string, unknown>>;

/** One custom-resource request. */
export interface CustomResourceEvent {
  /** what CloudFormation asks for. */
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** the pre-signed S3 URL the response goes to. */
  readonly ResponseURL: string;
  /** the stack's ARN. */
  readonly StackId: string;
  /** this request's id. */
  readonly RequestId: string;
  /** e.g. `Custom::BerthListenerRule`. */
  readonly ResourceType: string;
  /** the resource's logical id. */
  readonly LogicalResourceId: string;
  /** what the last successful response named (absent on Create). */
  readonly PhysicalResourceId?: string;
  /** the template's properties now. */
  readonly ResourceProperties: ResourceProperties;
  /** the properties of the last successful Create or Update (Update only). */
  readonly OldResourceProperties?: ResourceProperties;
}

/** What a handler returns when it succeeded. */
export interface CustomResourceResult {
  /** the physical id: changing it on Update makes CloudFormation delete the old one afterwards. */
  readonly physicalResourceId: string;
  /** attributes for `Fn::GetAtt`. */
  readonly data?: Readonly<Record<string, string>>;
}

/** Thrown by a handler to fail the request with a message the operator reads in the stack events. */
export class RefusedChange extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedChange';
  }
}

/** The response document; CloudFormation limits the whole body to 4 KiB. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

/** Puts a response to its URL; injected in tests. */
export type SendResponse = (url: string, response: CustomResourceResponse) => Promise<void>;

/** PUTs the response to the pre-signed URL; the signature covers no content type, so none is sent. */
export const putResponse: SendResponse = async (url, response) => {
  const body = JSON.stringify(response);
  const answer = await fetch(url, {
    method: 'PUT',
    body,
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
  });
  if (!answer.ok) throw new Error(`CloudFormation's response URL answered ${answer.status} ${answer.statusText}`);
};

/**
 * Runs a handler for one request and always answers CloudFormation, also when the handler throws, so a
 * stack never waits an hour for a response that will not come.
 * @param event the request
 * @param handle the handler
 * @param send how the response is put
 */
export async function answer(
  event: CustomResourceEvent,
  handle: (event: CustomResourceEvent) => Promise<CustomResourceResult>,
  send: SendResponse = putResponse,
): Promise<CustomResourceResponse> {
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  let response: CustomResourceResponse;
  try {
    const result = await handle(event);
    response = {
      ...base,
      Status: 'SUCCESS',
      Reason: 'done',
      PhysicalResourceId: result.physicalResourceId,
      ...(result.data ? { Data: result.data } : {}),
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`${event.RequestType} ${event.LogicalResourceId} failed: ${message}`);
    response = {
      ...base,
      Status: 'FAILED',
      Reason: message.slice(0, 1000),
      // the rollback of a failed Create sends a Delete with this id; the handlers ignore ids that are not theirs.
      PhysicalResourceId: event.PhysicalResourceId ?? `failed-${event.LogicalResourceId}-${event.RequestId}`,
    };
  }
  await send(event.ResponseURL, response);
  return response;
}

/**
 * A property as a string.
 * @param properties the resource properties
 * @param name the property
 */
export function stringProperty(properties: ResourceProperties, name: string): string {
  const value = properties[name];
  if (typeof value !== 'string' || value === '') throw new Error(`property ${name} is missing or not a string`);
  return value;
}

/**
 * A property as a whole number (CloudFormation sends numbers as strings).
 * @param properties the resource properties
 * @param name the property
 */
export function integerProperty(properties: ResourceProperties, name: string): number {
  const value = Number(stringProperty(properties, name));
  if (!Number.isInteger(value)) throw new Error(`property ${name} is not a whole number`);
  return value;
}

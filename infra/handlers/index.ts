/**
 * The Lambda entry of berth's custom resources: one bundle serves every type; each stack's function has
 * only the permissions its own resources need.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { answer, type CustomResourceEvent, type CustomResourceResponse, type SendResponse, putResponse } from './custom-resource';
import { handleImageTagParameter, IMAGE_TAG_PARAMETER_RESOURCE_TYPE } from './image-tag-parameter';
import { handleListenerRule, LISTENER_RULE_RESOURCE_TYPE } from './listener-rule';
import { handleScaleInProtection, SCALE_IN_PROTECTION_RESOURCE_TYPE } from './scale-in-protection';
import { handleStartingTaskCount, STARTING_TASK_COUNT_RESOURCE_TYPE } from './starting-task-count';

/** The AWS clients the handlers use; tests pass mocked ones. */
export interface HandlerClients {
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ssm: SSMClient;
  readonly autoScaling: AutoScalingClient;
  readonly ecs: ECSClient;
}

/**
 * Answers one custom-resource request.
 * @param event the request
 * @param clients the AWS clients
 * @param send how the response is put
 */
export async function dispatch(
  event: CustomResourceEvent,
  clients: HandlerClients,
  send: SendResponse = putResponse,
): Promise<CustomResourceResponse> {
  return answer(
    event,
    async (request) => {
      switch (request.ResourceType) {
        case LISTENER_RULE_RESOURCE_TYPE:
          return handleListenerRule(clients.elbv2, request);
        case IMAGE_TAG_PARAMETER_RESOURCE_TYPE:
          return handleImageTagParameter(clients.ssm, request);
        case SCALE_IN_PROTECTION_RESOURCE_TYPE:
          return handleScaleInProtection(clients, request);
        case STARTING_TASK_COUNT_RESOURCE_TYPE:
          return handleStartingTaskCount(clients.ecs, request);
        default:
          throw new Error(`resource type ${request.ResourceType} is not one of berth's`);
      }
    },
    send,
  );
}

let clients: HandlerClients | undefined;

/** The Lambda handler; the clients read the region from the function's environment. */
export async function handler(event: CustomResourceEvent): Promise<void> {
  clients ??= {
    elbv2: new ElasticLoadBalancingV2Client({}),
    ssm: new SSMClient({}),
    autoScaling: new AutoScalingClient({}),
    ecs: new ECSClient({}),
  };
  await dispatch(event, clients);
}

#!/bin/bash
# berth: bootstrap of an ECS container instance (ECS-optimized Amazon Linux 2023).
#
# This file is a template: infra/constructs/capacity.ts replaces each double-braced placeholder and makes
# the result the launch template's whole user data. It is the only place these agent settings live.
set -euo pipefail

# ECS agent settings; see https://github.com/aws/amazon-ecs-agent/blob/master/README.md#environment-variables
cat >> /etc/ecs/ecs.config <<'CONFIG'
ECS_CLUSTER={{ClusterName}}
ECS_INSTANCE_ATTRIBUTES={"berth:environment":"{{Environment}}"}
ECS_ENABLE_CONTAINER_METADATA=true
ECS_IMAGE_PULL_BEHAVIOR={{ImagePullBehaviour}}
ECS_CONTAINER_STOP_TIMEOUT={{ContainerStopTimeout}}s
ECS_ENABLE_SPOT_INSTANCE_DRAINING=true
ECS_AWSVPC_BLOCK_IMDS=true
ECS_ENABLE_TASK_IAM_ROLE=true
CONFIG

# CLI tests of `run --backend aws` (sourced by tests/cli_test.sh: uses its
# ok/bad/expect_exit/contains and $tmp). Nothing here reaches AWS: dry
# runs make no call, the one real run points at a closed local port.

# Fixed environment: no shared files, a known region, fake keys.
aws_env() {
	env AWS_REGION=us-east-1 AWS_CONFIG_FILE=/nonexistent/config \
	    AWS_SHARED_CREDENTIALS_FILE=/nonexistent/credentials \
	    AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret "$@"
}
# The "service:Op" column of a dry run, one per line.
aws_ops() { sed -n 's/^#[0-9]* [^ ]* \([^ ]*\) .*/\1/p' "$1" | tr '\n' ' '; }

# --- dry run: every call, in order, with its body; none made ---
expect_exit 0 "aws dry run --create" -- aws_env "$ECSIM" run --backend aws --dry-run --create \
    --run-id test-1 --vpc-id vpc-0abc --subnets subnet-1,subnet-2 scenarios/seed-article.json
got=$(aws_ops "$tmp/out")
want="sts:GetCallerIdentity ecs:CreateCluster ecs:RegisterTaskDefinition elbv2:CreateTargetGroup \
elbv2:ModifyTargetGroupAttributes elbv2:CreateLoadBalancer elbv2:CreateListener ecs:CreateService \
application-autoscaling:RegisterScalableTarget application-autoscaling:PutScalingPolicy \
ecs:RegisterTaskDefinition ecs:UpdateService application-autoscaling:DeleteScalingPolicy \
application-autoscaling:DeregisterScalableTarget ecs:UpdateService ecs:DeleteService \
ecs:DescribeServices elbv2:DeleteLoadBalancer elbv2:DeleteTargetGroup ecs:DeregisterTaskDefinition \
ecs:DeregisterTaskDefinition ecs:DeleteCluster "
if [ "$got" = "$want" ]; then ok; else bad "aws dry run --create call sequence: $got"; fi
if cmp -s "$tmp/out" tests/data/aws/seed-article.create.txt; then ok; else
	bad "aws dry run --create differs from tests/data/aws/seed-article.create.txt: $(diff tests/data/aws/seed-article.create.txt "$tmp/out" | head -5)"
fi
contains "$tmp/out" '#11 +10m ecs:RegisterTaskDefinition {"family":"my-microservice-task"' "timeline call at its time"
contains "$tmp/out" '#12 +10m ecs:UpdateService {"cluster":"default","service":"my-microservice","taskDefinition":"my-microservice-task","forceNewDeployment":true}' "UpdateService body as in the scenario"
contains "$tmp/out" '"loadBalancers":[{"targetGroupArn":"${tg/my-microservice-tg}"' "target group name becomes the ARN created"
contains "$tmp/out" '"tags":[{"key":"ecsim:run-id","value":"test-1"}]' "created resources tagged with the run id"
contains "$tmp/out" 'estimated cost (simulation): $0.1664' "cost estimated from the simulation"
expect_exit 0 "aws dry run --use-existing" -- aws_env "$ECSIM" run --backend aws --dry-run --use-existing \
    --run-id test-1 scenarios/seed-article.json
got=$(aws_ops "$tmp/out")
want="sts:GetCallerIdentity ecs:DescribeClusters ecs:DescribeTaskDefinition elbv2:DescribeTargetGroups \
elbv2:DescribeLoadBalancers ecs:DescribeServices application-autoscaling:DescribeScalableTargets \
ecs:RegisterTaskDefinition ecs:UpdateService ecs:DeregisterTaskDefinition "
if [ "$got" = "$want" ]; then ok; else bad "aws dry run --use-existing call sequence: $got"; fi
if cmp -s "$tmp/out" tests/data/aws/seed-article.use-existing.txt; then ok; else
	bad "aws dry run --use-existing differs from tests/data/aws/seed-article.use-existing.txt"
fi
expect_exit 0 "aws dry run with a simulation-only call" -- aws_env "$ECSIM" run --backend aws --dry-run \
    --create --run-id t2 tests/data/aws/setload.json
contains "$tmp/out" '#5 +5m sim:SetLoad {"service":"api","requestsPerSecond":10}' "sim call listed"
contains "$tmp/out" '(simulation only: not sent to AWS (drive the load yourself))' "sim call not sent"

# --- refusals: exit 2 before anything is sent ---
expect_exit 2 "aws: neither --create nor --use-existing" -- aws_env "$ECSIM" run --backend aws --dry-run scenarios/seed-article.json
contains "$tmp/err" "needs --create (create the scenario's resources) or --use-existing" "mode required"
expect_exit 2 "aws: both modes" -- aws_env "$ECSIM" run --backend aws --dry-run --create --use-existing scenarios/seed-article.json
contains "$tmp/err" "--create and --use-existing exclude each other" "modes exclusive"
expect_exit 2 "aws: unknown backend" -- "$ECSIM" run --backend azure scenarios/seed-article.json
contains "$tmp/err" '--backend must be aws or sim, got "azure"' "backend names"
expect_exit 2 "aws: real run without allow-lists" -- aws_env "$ECSIM" run --backend aws --use-existing scenarios/seed-article.json
contains "$tmp/err" "needs --account and --region" "allow-lists required"
expect_exit 2 "aws: region not allowed" -- aws_env "$ECSIM" run --backend aws --use-existing --yes \
    --account 123456789012 --region eu-west-1 scenarios/seed-article.json
contains "$tmp/err" "region us-east-1 is not allowed by --region; nothing was changed" "region allow-list"
expect_exit 2 "aws: --create without --vpc-id" -- aws_env "$ECSIM" run --backend aws --create --yes \
    --account 123456789012 --region us-east-1 scenarios/seed-article.json
contains "$tmp/err" "--create needs --vpc-id for elbv2:CreateTargetGroup" "vpc required"
expect_exit 2 "aws: bad scenario" -- aws_env "$ECSIM" run --backend aws --dry-run --create tests/data/cli/unknown-key.json
expect_exit 0 "--backend sim is a plain run" -- "$ECSIM" run --backend sim scenarios/seed-article.json --quiet

# --- a real run whose endpoint does not answer: exit 3, nothing changed ---
expect_exit 3 "aws: endpoint down" -- aws_env "$ECSIM" run --backend aws --use-existing --yes \
    --account 123456789012 --region us-east-1 --max-attempts 1 \
    --endpoint-url http://127.0.0.1:9 scenarios/seed-article.json
contains "$tmp/err" "nothing was changed" "no change when the account cannot be checked"

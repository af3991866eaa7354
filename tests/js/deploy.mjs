// The seed scenario's deploy through the AWS SDK for JavaScript v3 against
// `ecsim serve --clock manual --no-timeline` (tests/serve_test.sh):
// register the new revision at 10m, update the service with
// forceNewDeployment, advance until steady, then read what a pipeline reads
// (DescribeServices, DescribeTargetHealth, DescribeScalingActivities).
// Prints one JSON object; exits 1 on any SDK error.
//
// Usage: node tests/js/deploy.mjs http://127.0.0.1:PORT tests/data/serve/td-1.1.json
import { readFileSync } from "node:fs";
import {
  ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand,
  DescribeServicesCommand, ServiceNotFoundException,
} from "@aws-sdk/client-ecs";
import {
  ElasticLoadBalancingV2Client, DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  ApplicationAutoScalingClient, DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-application-auto-scaling";

const [endpoint, tdFile] = process.argv.slice(2);
const config = {
  endpoint, region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
};
const ecs = new ECSClient(config);
const elb = new ElasticLoadBalancingV2Client(config);
const aas = new ApplicationAutoScalingClient(config);

async function admin(path, body) {
  const r = await fetch(endpoint + path, { method: "POST", body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const out = {};
await admin("/_ecsim/advance", { to: "10m" });
const td = await ecs.send(new RegisterTaskDefinitionCommand(JSON.parse(readFileSync(tdFile, "utf8"))));
out.taskDefinitionArn = td.taskDefinition.taskDefinitionArn;
const up = await ecs.send(new UpdateServiceCommand({
  cluster: "default", service: "my-microservice",
  taskDefinition: "my-microservice-task", forceNewDeployment: true,
}));
out.deploymentsAfterUpdate = up.service.deployments.map((d) => `${d.status}:${d.rolloutState}`);
const st = await admin("/_ecsim/advance", { until: "steady" });
out.steadyAt = st.now;
const ds = await ecs.send(new DescribeServicesCommand({ cluster: "default", services: ["my-microservice"] }));
const svc = ds.services[0];
out.deployments = svc.deployments.map((d) => `${d.status}:${d.rolloutState}`);
out.runningCount = svc.runningCount;
out.desiredCount = svc.desiredCount;
out.latestEvent = svc.events[0].message;
out.eventsAreDates = svc.events.every((e) => e.createdAt instanceof Date);
const tgs = await elb.send(new DescribeTargetGroupsCommand({}));
const th = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgs.TargetGroups[0].TargetGroupArn }));
out.targetStates = th.TargetHealthDescriptions.map((d) => d.TargetHealth.State);
const acts = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: "ecs" }));
out.scalingActivities = acts.ScalingActivities.length;
try {
  await ecs.send(new DescribeServicesCommand({ cluster: "nope", services: ["x"] }));
} catch (e) {
  out.errorName = e.name;
  out.errorStatus = e.$metadata.httpStatusCode;
}
try {
  await ecs.send(new UpdateServiceCommand({ cluster: "default", service: "nope", desiredCount: 1 }));
} catch (e) {
  out.notFound = e instanceof ServiceNotFoundException;
}
console.log(JSON.stringify(out));

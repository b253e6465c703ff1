/**
 * The AWS gateway: AWS Organizations (invitations, handshakes, accounts) and STS (cross-account role
 * checks) behind {@link dev.openpayer.aws.OrganizationsGateway} and {@link dev.openpayer.aws.StsGateway},
 * with a real adapter over the AWS SDK for Java v2 and a sandbox organisation for demos and tests.
 * Every refusal of AWS surfaces as one {@link dev.openpayer.aws.AwsRefusal} with a reason, an
 * explanation and the steps that fix it. Entry point: {@link dev.openpayer.aws.AwsGateways}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "AWS", allowedDependencies = {"shared"})
package dev.openpayer.aws;

package dev.openpayer.onboarding;

import static dev.openpayer.shared.Timestamps.toDb;

import dev.openpayer.shared.InvalidInputException;
import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.Viewer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The read-only cross-account role: each customer's external ID (random, 256 bits, unique, stable,
 * never reused), the CloudFormation template that creates the role, and the quick-create link.
 */
@Service
public class CrossAccountAccess {
    /** The IAM permissions the person who creates the stack needs. */
    public static final List<String> PERMISSIONS_TO_CREATE_THE_STACK = List.of("iam:CreatePolicy", "iam:CreateRole", "iam:AttachRolePolicy",
            "iam:PutRolePolicy", "iam:GetRole", "cloudformation:CreateStack", "cloudformation:GetTemplateSummary", "sns:Publish");
    static final String DEFAULT_ROLE_NAME = "OpenPayerReadOnly";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BUCKET = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";

    /** Which managed policies the role gets. */
    public enum PermissionLevel {
        /** AWS's ReadOnlyAccess: everything the product may show, read only. */
        READ_ONLY(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")),
        /** Billing data only: Billing, Cost Explorer and Organizations read access. */
        BILLING_ONLY(List.of("arn:aws:iam::aws:policy/AWSBillingReadOnlyAccess", "arn:aws:iam::aws:policy/AWSOrganizationsReadOnlyAccess"));

        final List<String> managedPolicies;

        PermissionLevel(List<String> managedPolicies) {
            this.managedPolicies = managedPolicies;
        }
    }

    /** Everything the console shows a customer about setting up the role. */
    public record Setup(UUID customerId, String externalId, String platformAccountId, String roleName, PermissionLevel permissionLevel,
            String curBucket, String quickCreateUrl, String templateFileName, List<String> permissionsNeeded) {}

    private final JdbcClient jdbc;
    private final Tenancy tenancy;
    private final Clock clock;
    private final String platformAccountId;
    private final PermissionLevel permissionLevel;
    private final String templateUrl;
    private final String region;
    private final YAMLMapper yaml = YAMLMapper.builder().build();

    CrossAccountAccess(JdbcClient jdbc, Tenancy tenancy, Clock clock, @Value("${openpayer.aws.platform-account-id}") String platformAccountId,
            @Value("${openpayer.aws.role-permissions}") PermissionLevel permissionLevel, @Value("${openpayer.aws.template-url:}") String templateUrl,
            @Value("${openpayer.aws.template-region}") String region) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.clock = clock;
        this.platformAccountId = platformAccountId;
        this.permissionLevel = permissionLevel;
        this.templateUrl = templateUrl == null || templateUrl.isBlank() ? null : templateUrl.strip();
        this.region = region;
    }

    /** The customer's external ID, created on first use and never changed afterwards. */
    @Transactional(propagation = Propagation.REQUIRED)
    public String externalId(Organization customer) {
        Optional<String> existing = jdbc.sql("select external_id from external_ids where customer_id = ?").param(customer.id()).query(String.class).optional();
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String id = "op-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("insert into external_ids (customer_id, external_id, created_at) values (?, ?, ?)")
                .params(customer.id(), id, toDb(clock.instant()))
                .update();
        return id;
    }

    @Transactional
    public Setup setup(Viewer viewer, UUID customerId, String curBucket) {
        Organization customer = customer(viewer, customerId);
        String bucket = bucket(curBucket);
        String externalId = externalId(customer);
        String quickCreate = null;
        if (templateUrl != null) {
            quickCreate = "https://" + region + ".console.aws.amazon.com/cloudformation/home?region=" + region + "#/stacks/quickcreate?templateURL="
                    + encode(templateUrl) + "&stackName=OpenPayerAccess&param_ExternalId=" + encode(externalId) + "&param_RoleName="
                    + DEFAULT_ROLE_NAME + "&param_CurBucketName=" + encode(bucket == null ? "" : bucket);
        }
        return new Setup(customer.id(), externalId, platformAccountId, DEFAULT_ROLE_NAME, permissionLevel, bucket, quickCreate,
                "openpayer-access-" + slug(customer.name()) + ".yaml", PERMISSIONS_TO_CREATE_THE_STACK);
    }

    /** The CloudFormation template (YAML) with the customer's values as parameter defaults. */
    @Transactional
    public String template(Viewer viewer, UUID customerId, String curBucket) {
        Organization customer = customer(viewer, customerId);
        return template(customer.name(), externalId(customer), bucket(curBucket));
    }

    /**
     * The template to upload once to S3 for the quick-create link ({@code openpayer.aws.template-url}):
     * the same role, with no customer's values; the link passes each customer's external ID as a parameter.
     */
    public String sharedTemplate() {
        return template("each customer", null, null);
    }

    String template(String customerName, String externalId, String bucket) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("AWSTemplateFormatVersion", "2010-09-09");
        root.put("Description", "OpenPayer read-only access for " + customerName
                + ": a role that OpenPayer's AWS account " + platformAccountId + " may assume with the customer's external ID.");
        Map<String, Object> parameters = new LinkedHashMap<>();
        Map<String, Object> externalIdParameter = new LinkedHashMap<>();
        externalIdParameter.put("Type", "String");
        if (externalId != null) {
            externalIdParameter.put("Default", externalId);
        }
        externalIdParameter.put("MinLength", 2);
        externalIdParameter.put("Description", "The external ID OpenPayer presents when it assumes the role (do not change it)");
        parameters.put("ExternalId", externalIdParameter);
        parameters.put("RoleName", Map.of("Type", "String", "Default", DEFAULT_ROLE_NAME, "Description", "Name of the IAM role to create"));
        parameters.put("CurBucketName", Map.of("Type", "String", "Default", bucket == null ? "" : bucket, "Description",
                "S3 bucket holding your Cost and Usage Reports, readable by the role (leave empty if none)"));
        root.put("Parameters", parameters);
        root.put("Conditions", Map.of("HasCurBucket", Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "CurBucketName"), ""))))));

        Map<String, Object> trust = new LinkedHashMap<>();
        trust.put("Version", "2012-10-17");
        trust.put("Statement", List.of(Map.of("Effect", "Allow", "Principal", Map.of("AWS", "arn:aws:iam::" + platformAccountId + ":root"),
                "Action", "sts:AssumeRole", "Condition", Map.of("StringEquals", Map.of("sts:ExternalId", Map.of("Ref", "ExternalId"))))));
        Map<String, Object> roleProperties = new LinkedHashMap<>();
        roleProperties.put("RoleName", Map.of("Ref", "RoleName"));
        roleProperties.put("Description", "Read-only access for OpenPayer");
        roleProperties.put("AssumeRolePolicyDocument", trust);
        roleProperties.put("ManagedPolicyArns", permissionLevel.managedPolicies);
        roleProperties.put("MaxSessionDuration", 3600);
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("OpenPayerRole", Map.of("Type", "AWS::IAM::Role", "Properties", roleProperties));

        Map<String, Object> bucketPolicy = new LinkedHashMap<>();
        bucketPolicy.put("Version", "2012-10-17");
        bucketPolicy.put("Statement", List.of(
                Map.of("Effect", "Allow", "Action", List.of("s3:ListBucket", "s3:GetBucketLocation"), "Resource",
                        Map.of("Fn::Sub", "arn:aws:s3:::${CurBucketName}")),
                Map.of("Effect", "Allow", "Action", List.of("s3:GetObject"), "Resource", Map.of("Fn::Sub", "arn:aws:s3:::${CurBucketName}/*"))));
        Map<String, Object> policyProperties = new LinkedHashMap<>();
        policyProperties.put("PolicyName", "OpenPayerCurBucketRead");
        policyProperties.put("Roles", List.of(Map.of("Ref", "OpenPayerRole")));
        policyProperties.put("PolicyDocument", bucketPolicy);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("Type", "AWS::IAM::Policy");
        policy.put("Condition", "HasCurBucket");
        policy.put("Properties", policyProperties);
        resources.put("CurBucketRead", policy);
        root.put("Resources", resources);

        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("RoleArn", Map.of("Description", "Paste this ARN into OpenPayer", "Value", Map.of("Fn::GetAtt", List.of("OpenPayerRole", "Arn"))));
        outputs.put("ExternalId", Map.of("Value", Map.of("Ref", "ExternalId")));
        root.put("Outputs", outputs);
        return yaml.writeValueAsString(root);
    }

    private Organization customer(Viewer viewer, UUID customerId) {
        Organization customer = tenancy.visible(viewer, customerId);
        if (customer.type() != OrganizationType.CUSTOMER) {
            throw new InvalidInputException("customerId", "cross-account roles are set up for end customers; " + customer.name() + " is a " + customer.type());
        }
        return customer;
    }

    private static String bucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            return null;
        }
        String clean = bucket.strip();
        if (!clean.matches(BUCKET) || clean.contains("..")) {
            throw new InvalidInputException("curBucket", "is not a valid S3 bucket name (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        return clean;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String slug(String name) {
        String slug = name.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "customer" : slug;
    }
}

package dev.openpayer.onboarding.web;

import dev.openpayer.onboarding.CrossAccountAccess;
import dev.openpayer.tenancy.Viewer;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Cross-account access", description = "The read-only IAM role a customer creates for OpenPayer")
class CrossAccountApi {
    private final CrossAccountAccess access;

    CrossAccountApi(CrossAccountAccess access) {
        this.access = access;
    }

    @GetMapping("/api/v1/customers/{customerId}/cross-account-access")
    @Operation(summary = "The customer's external ID, the quick-create link and the permissions needed to create the role")
    CrossAccountAccess.Setup setup(Viewer viewer, @PathVariable UUID customerId, @RequestParam(required = false) String curBucket) {
        return access.setup(viewer, customerId, curBucket);
    }

    @GetMapping("/api/v1/aws/cloudformation-template")
    @Operation(summary = "The template without any customer's values, to upload to S3 for the quick-create link (openpayer.aws.template-url)")
    ResponseEntity<String> sharedTemplate(Viewer viewer) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/yaml"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("openpayer-access.yaml").build().toString())
                .body(access.sharedTemplate());
    }

    @GetMapping("/api/v1/customers/{customerId}/cloudformation-template")
    @Operation(summary = "The CloudFormation template (YAML) of the read-only role, with the customer's external ID")
    ResponseEntity<String> template(Viewer viewer, @PathVariable UUID customerId, @RequestParam(required = false) String curBucket) {
        CrossAccountAccess.Setup setup = access.setup(viewer, customerId, curBucket);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/yaml"))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(setup.templateFileName()).build().toString())
                .body(access.template(viewer, customerId, curBucket));
    }
}

package dev.openpayer.aws;

import dev.openpayer.aws.AwsRefusal.Reason;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.organizations.model.AccessDeniedException;
import software.amazon.awssdk.services.organizations.model.AccountNotFoundException;
import software.amazon.awssdk.services.organizations.model.AccountOwnerNotVerifiedException;
import software.amazon.awssdk.services.organizations.model.AwsOrganizationsNotInUseException;
import software.amazon.awssdk.services.organizations.model.ConcurrentModificationException;
import software.amazon.awssdk.services.organizations.model.ConstraintViolationException;
import software.amazon.awssdk.services.organizations.model.CreateAccountStatusNotFoundException;
import software.amazon.awssdk.services.organizations.model.DuplicateHandshakeException;
import software.amazon.awssdk.services.organizations.model.FinalizingOrganizationException;
import software.amazon.awssdk.services.organizations.model.HandshakeAlreadyInStateException;
import software.amazon.awssdk.services.organizations.model.HandshakeConstraintViolationException;
import software.amazon.awssdk.services.organizations.model.HandshakeNotFoundException;
import software.amazon.awssdk.services.organizations.model.InvalidHandshakeTransitionException;
import software.amazon.awssdk.services.organizations.model.InvalidInputException;
import software.amazon.awssdk.services.organizations.model.MasterCannotLeaveOrganizationException;
import software.amazon.awssdk.services.organizations.model.ServiceException;
import software.amazon.awssdk.services.organizations.model.TooManyRequestsException;

/** Maps the SDK's exceptions to {@link AwsRefusal}: by exception class first, then by AWS error code. */
final class SdkRefusals {
    private static final Set<String> ACCESS_DENIED_CODES = Set.of("AccessDenied", "AccessDeniedException",
            "UnrecognizedClientException", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
            "ExpiredTokenException", "IncompleteSignature", "MissingAuthenticationToken", "RegionDisabledException");

    private SdkRefusals() {}

    static AwsRefusal map(SdkException e) {
        if (e instanceof HandshakeConstraintViolationException h) {
            String code = h.reasonAsString();
            Reason reason = Reason.ofHandshakeConstraint(code).orElse(Reason.CONSTRAINT_VIOLATION);
            return refusal(reason, e, reason == Reason.CONSTRAINT_VIOLATION ? "reason " + code + ": " : "");
        }
        if (e instanceof ConstraintViolationException c) {
            return refusal(Reason.CONSTRAINT_VIOLATION, e, "reason " + c.reasonAsString() + ": ");
        }
        if (e instanceof InvalidInputException i) {
            return refusal(Reason.INVALID_INPUT, e, i.reasonAsString() == null ? "" : "reason " + i.reasonAsString() + ": ");
        }
        Reason reason = byClass(e);
        if (reason != null) {
            return refusal(reason, e, "");
        }
        if (e instanceof AwsServiceException s) {
            return refusal(byCode(s), e, "");
        }
        if (e instanceof SdkClientException) {
            // Credentials from an assumed role fail inside the call: STS's refusal is the cause.
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                if (cause instanceof AwsServiceException service) {
                    return map(service);
                }
            }
            return new AwsRefusal(Reason.UNREACHABLE, AwsRefusal.Detail.NONE, null, e.getMessage(), e);
        }
        return new AwsRefusal(Reason.SERVICE_ERROR, AwsRefusal.Detail.NONE, null, e.getMessage(), e);
    }

    private static Reason byClass(SdkException e) {
        if (e instanceof DuplicateHandshakeException) return Reason.DUPLICATE_HANDSHAKE;
        if (e instanceof AccountOwnerNotVerifiedException) return Reason.ACCOUNT_OWNER_NOT_VERIFIED;
        if (e instanceof AccessDeniedException) return Reason.ACCESS_DENIED;
        if (e instanceof AwsOrganizationsNotInUseException) return Reason.ORGANIZATIONS_NOT_IN_USE;
        if (e instanceof ConcurrentModificationException) return Reason.CONCURRENT_MODIFICATION;
        if (e instanceof FinalizingOrganizationException) return Reason.FINALIZING_ORGANIZATION;
        if (e instanceof TooManyRequestsException) return Reason.TOO_MANY_REQUESTS;
        if (e instanceof ServiceException) return Reason.SERVICE_ERROR;
        if (e instanceof HandshakeNotFoundException) return Reason.HANDSHAKE_NOT_FOUND;
        if (e instanceof AccountNotFoundException) return Reason.ACCOUNT_NOT_FOUND;
        if (e instanceof CreateAccountStatusNotFoundException) return Reason.CREATE_ACCOUNT_STATUS_NOT_FOUND;
        if (e instanceof InvalidHandshakeTransitionException) return Reason.INVALID_HANDSHAKE_TRANSITION;
        if (e instanceof HandshakeAlreadyInStateException) return Reason.HANDSHAKE_ALREADY_IN_STATE;
        if (e instanceof MasterCannotLeaveOrganizationException) return Reason.MASTER_CANNOT_LEAVE_ORGANIZATION;
        return null;
    }

    private static Reason byCode(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (code != null && ACCESS_DENIED_CODES.contains(code)) {
            return Reason.ACCESS_DENIED;
        }
        if (e.isThrottlingException() || "TooManyRequestsException".equals(code) || "ThrottlingException".equals(code)
                || "Throttling".equals(code)) {
            return Reason.TOO_MANY_REQUESTS;
        }
        if (e.statusCode() == 403) {
            return Reason.ACCESS_DENIED;
        }
        if (code != null && (code.startsWith("InvalidParameter") || code.startsWith("ValidationError")
                || code.startsWith("MalformedPolicyDocument"))) {
            return Reason.INVALID_INPUT;
        }
        return Reason.SERVICE_ERROR;
    }

    private static AwsRefusal refusal(Reason reason, SdkException e, String prefix) {
        String code = null;
        String message = e.getMessage();
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            code = s.awsErrorDetails().errorCode();
            message = s.awsErrorDetails().errorMessage();
        }
        return new AwsRefusal(reason, AwsRefusal.Detail.NONE, code, prefix + (message == null ? "" : message), e);
    }
}

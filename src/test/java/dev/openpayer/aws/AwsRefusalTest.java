package dev.openpayer.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openpayer.aws.AwsRefusal.Detail;
import dev.openpayer.aws.AwsRefusal.Reason;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.organizations.model.HandshakeConstraintViolationExceptionReason;

class AwsRefusalTest {

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonHasTitleExplanationAndRemedy(Reason reason) {
        assertThat(reason.title()).isNotBlank();
        assertThat(reason.explanation()).isNotBlank().endsWith(".");
        assertThat(reason.remedy()).isNotBlank().endsWith(".");
        assertThat(reason.remedy()).isNotEqualTo(reason.explanation());
    }

    @Test
    void titlesAreDistinct() {
        assertThat(Arrays.stream(Reason.values()).map(Reason::title).collect(Collectors.toSet())).hasSize(Reason.values().length);
    }

    @Test
    void theFourteenHandshakeConstraintReasonsOfTheApiModelAreCovered() {
        Set<String> sdk = HandshakeConstraintViolationExceptionReason.knownValues().stream().map(Enum::name).collect(Collectors.toSet());
        assertThat(sdk).hasSize(14);
        for (String code : sdk) {
            assertThat(Reason.ofHandshakeConstraint(code)).as(code).hasValueSatisfying(r -> assertThat(r.name()).isEqualTo(code));
        }
        assertThat(Reason.ofHandshakeConstraint("DUPLICATE_HANDSHAKE")).isEmpty();
        assertThat(Reason.ofHandshakeConstraint("UNKNOWN_TO_SDK_VERSION")).isEmpty();
    }

    @Test
    void theOtherReasonsTheOnboardingNeedsExist() {
        for (String name : new String[] {"DUPLICATE_HANDSHAKE", "ACCOUNT_OWNER_NOT_VERIFIED", "ACCESS_DENIED", "ORGANIZATIONS_NOT_IN_USE",
                "CONSTRAINT_VIOLATION", "INVALID_INPUT", "CONCURRENT_MODIFICATION", "FINALIZING_ORGANIZATION", "TOO_MANY_REQUESTS",
                "SERVICE_ERROR", "HANDSHAKE_NOT_FOUND", "ACCOUNT_NOT_FOUND", "INVALID_HANDSHAKE_TRANSITION", "HANDSHAKE_ALREADY_IN_STATE",
                "MASTER_CANNOT_LEAVE_ORGANIZATION", "UNREACHABLE"}) {
            assertThat(Reason.valueOf(name)).isNotNull();
        }
    }

    @Test
    void remediesSayWhatToDo() {
        assertThat(Reason.ALREADY_IN_AN_ORGANIZATION.remedy()).contains("leave").contains("payment method").contains("support plan")
                .contains("delete");
        assertThat(Reason.DUPLICATE_HANDSHAKE.remedy()).contains("resend").contains("cancels");
        assertThat(Reason.TOO_MANY_REQUESTS.explanation()).contains("retried automatically with backoff");
        assertThat(EnumSet.allOf(Reason.class).stream().filter(Reason::transientFailure))
                .containsExactlyInAnyOrder(Reason.TOO_MANY_REQUESTS, Reason.SERVICE_ERROR, Reason.UNREACHABLE,
                        Reason.CONCURRENT_MODIFICATION, Reason.FINALIZING_ORGANIZATION);
    }

    @Test
    void detailsRefineExplanationAndRemedy() {
        AwsRefusal plain = new AwsRefusal(Reason.ALREADY_IN_AN_ORGANIZATION, "HandshakeConstraintViolationException", "in another organisation");
        AwsRefusal management = new AwsRefusal(Reason.ALREADY_IN_AN_ORGANIZATION, Detail.MANAGEMENT_ACCOUNT_WITH_MEMBERS,
                "HandshakeConstraintViolationException", "management account", null);
        assertThat(plain.managementAccountWithMembers()).isFalse();
        assertThat(plain.remedy()).isEqualTo(Reason.ALREADY_IN_AN_ORGANIZATION.remedy());
        assertThat(management.managementAccountWithMembers()).isTrue();
        assertThat(management.remedy()).contains("remove each member").contains("delete the organisation").isNotEqualTo(plain.remedy());
        assertThat(management.getMessage()).isEqualTo("The account already belongs to an organisation: management account");
        for (Detail detail : Detail.values()) {
            AwsRefusal refusal = new AwsRefusal(Reason.ALREADY_IN_AN_ORGANIZATION, detail, null, null, null);
            assertThat(refusal.explanation()).isNotBlank();
            assertThat(refusal.remedy()).isNotBlank();
        }
    }
}

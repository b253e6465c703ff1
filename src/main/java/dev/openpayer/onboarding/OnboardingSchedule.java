package dev.openpayer.onboarding;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Keeps invitations in step with AWS and re-checks account health; one instance at a time (ShedLock). */
@Component
class OnboardingSchedule {
    private static final Logger log = LoggerFactory.getLogger(OnboardingSchedule.class);
    private final AccountOnboarding onboarding;
    private final AccountHealth health;

    OnboardingSchedule(AccountOnboarding onboarding, AccountHealth health) {
        this.onboarding = onboarding;
        this.health = health;
    }

    @Scheduled(fixedDelayString = "${openpayer.aws.sync-interval}", initialDelayString = "${openpayer.aws.sync-interval}")
    @SchedulerLock(name = "aws-handshake-sync", lockAtMostFor = "PT15M")
    void synchronizeInvitations() {
        int changed = onboarding.synchronize();
        if (changed > 0) {
            log.info("Handshake synchronisation updated {} account(s)", changed);
        }
    }

    @Scheduled(fixedDelayString = "${openpayer.aws.health-interval}", initialDelayString = "${openpayer.aws.health-interval}")
    @SchedulerLock(name = "aws-account-health", lockAtMostFor = "PT30M")
    void checkHealth() {
        health.checkAll();
    }
}

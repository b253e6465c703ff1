package dev.openpayer.onboarding;

import java.time.Instant;
import java.util.UUID;

/**
 * One published version of the terms and conditions for a territory (an ISO country code, or
 * {@link Terms#ALL_TERRITORIES} for the terms that apply where no country has its own).
 */
public record TermsVersion(UUID id, String territory, int version, String title, String body, Instant publishedAt, String publishedBy) {}

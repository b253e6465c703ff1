package dev.openpayer.cur;

/** One reason a report or delivery is not usable, about one object. */
public record Problem(Reason reason, String object, String message) {

    /** Why a report is not usable. Blocking reasons stop ingestion; the others make the report unfit for rebilling. */
    public enum Reason {
        NOT_HOURLY(false),
        RESOURCE_IDS_MISSING(false),
        SPLIT_COST_ALLOCATION_MISSING(false),
        UNSUPPORTED_FORMAT(true),
        UNSUPPORTED_COMPRESSION(true),
        MANIFEST_UNREADABLE(true),
        MANIFEST_OBJECT_MISSING(true),
        REQUIRED_COLUMN_MISSING(true),
        OBJECT_UNREADABLE(true),
        EMPTY_OBJECT(true),
        LOCATION_UNREADABLE(true),
        ACCESS_DENIED(true),
        WRONG_REGION(true);

        private final boolean blocking;

        Reason(boolean blocking) {
            this.blocking = blocking;
        }

        public boolean blocking() {
            return blocking;
        }
    }
}

package dev.openpayer.cur;

/** The report formats OpenPayer reads. Legacy CUR and CUR 2.0 share AWS's snake_case column naming. */
public enum CurFormat {
    LEGACY_CSV(false),
    LEGACY_PARQUET(true),
    CUR2_CSV(false),
    CUR2_PARQUET(true),
    FOCUS_CSV(false),
    FOCUS_PARQUET(true);

    private final boolean parquet;

    CurFormat(boolean parquet) {
        this.parquet = parquet;
    }

    public boolean parquet() {
        return parquet;
    }

    public boolean focus() {
        return this == FOCUS_CSV || this == FOCUS_PARQUET;
    }
}

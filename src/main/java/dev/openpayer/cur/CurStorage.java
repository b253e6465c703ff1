package dev.openpayer.cur;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Read access to the location a report source names. Keys are relative to the location and use
 * {@code /} as separator, as S3 keys do. {@code file:} directories are implemented by
 * {@link FileCurStorage}; an S3 implementation lists with ListObjectsV2 and downloads objects for
 * {@link #localCopy}.
 */
public interface CurStorage {

    /** One object under the location. */
    record StoredObject(String key, long size, Instant lastModified) {}

    /** Every object under the location, sorted by key. */
    List<StoredObject> list() throws IOException;

    /** Opens an object for streaming. */
    InputStream open(String key) throws IOException;

    /** A local file with the object's bytes: the file itself for {@code file:}, a download into {@code staging} for S3. */
    Path localCopy(String key, Path staging) throws IOException;

    /** A printable name of the object for messages (path or {@code s3://} URL). */
    String describe(String key);
}

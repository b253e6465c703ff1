package dev.openpayer.cur;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@code s3://bucket/prefix} location read through the SDK: ListObjectsV2 under the prefix, GetObject for
 * each object. Refusals become messages that name the missing permission and the bucket; an answer from
 * another region names the bucket's region.
 */
public final class S3CurStorage implements CurStorage {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final String region;
    private final java.util.Set<Path> downloaded = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public S3CurStorage(S3Client s3, String location, String region) {
        Location parsed = parse(location);
        this.s3 = s3;
        this.bucket = parsed.bucket();
        this.prefix = parsed.prefix();
        this.region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    /** The bucket and the prefix (empty, or ending with {@code /}) of an {@code s3://} location. */
    record Location(String bucket, String prefix) {}

    static Location parse(String location) {
        if (location == null || !location.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("not a valid bucket name: " + bucket);
        }
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new Location(bucket, prefix);
    }

    @Override
    public List<StoredObject> list() throws IOException {
        List<StoredObject> objects = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
            for (S3Object o : s3.listObjectsV2Paginator(request).contents()) {
                if (o.key().endsWith("/")) {
                    continue;
                }
                objects.add(new StoredObject(o.key().substring(prefix.length()), o.size() == null ? 0 : o.size(), o.lastModified()));
            }
        } catch (SdkException e) {
            throw translate(e, "s3:ListBucket", "s3://" + bucket + "/" + prefix);
        }
        objects.sort(Comparator.comparing(StoredObject::key));
        return objects;
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(r -> r.bucket(bucket).key(prefix + key));
        } catch (SdkException e) {
            throw translate(e, "s3:GetObject", describe(key));
        }
    }

    @Override
    public Path localCopy(String key, Path staging) throws IOException {
        Path dir = Files.createDirectories(staging.resolve("s3"));
        String name = key.replace('/', '_');
        Path target = dir.resolve(name.length() > 200 ? name.substring(name.length() - 200) : name);
        if (downloaded.contains(target) && Files.isRegularFile(target)) {
            return target;
        }
        try (InputStream in = open(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            throw translate(e, "s3:GetObject", describe(key));
        }
        downloaded.add(target);
        return target;
    }

    @Override
    public String describe(String key) {
        return "s3://" + bucket + "/" + prefix + (key == null ? "" : key);
    }

    private IOException translate(SdkException e, String permission, String object) {
        if (e instanceof NoSuchKeyException) {
            return new NoSuchFileException(object, null, "the object does not exist");
        }
        if (e instanceof S3Exception s3e) {
            String code = s3e.awsErrorDetails() == null ? null : s3e.awsErrorDetails().errorCode();
            int status = s3e.statusCode();
            Optional<String> bucketRegion = s3e.awsErrorDetails() == null || s3e.awsErrorDetails().sdkHttpResponse() == null ? Optional.empty()
                    : s3e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region");
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code) || "IllegalLocationConstraintException".equals(code)) {
                return new CurAccessException(Problem.Reason.WRONG_REGION, "the bucket " + bucket + " is not in " + region
                        + bucketRegion.map(r -> " but in " + r + ": set the source's region to " + r).orElse(": set the source's region to the bucket's region"), e);
            }
            if (status == 403 || "AccessDenied".equals(code)) {
                return new CurAccessException(Problem.Reason.ACCESS_DENIED, "access denied to " + object + ": the credentials need " + permission
                        + " on the bucket " + bucket + (permission.equals("s3:ListBucket") ? " (arn:aws:s3:::" + bucket + ")" : " (arn:aws:s3:::" + bucket + "/*)"), e);
            }
            if ("NoSuchBucket".equals(code)) {
                return new NoSuchFileException("s3://" + bucket, null, "the bucket " + bucket + " does not exist");
            }
            if ("NoSuchKey".equals(code) || status == 404) {
                return new NoSuchFileException(object, null, "the object does not exist");
            }
            return new IOException(object + ": S3 answered " + status + " " + (code == null ? "" : code + " ") + s3e.awsErrorDetails().errorMessage(), e);
        }
        if (e instanceof SdkClientException) {
            return new IOException("S3 could not be reached for " + object + ": " + e.getMessage(), e);
        }
        return new IOException(object + ": " + e.getMessage(), e);
    }
}

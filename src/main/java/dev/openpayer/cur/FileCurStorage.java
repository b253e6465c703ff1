package dev.openpayer.cur;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A local directory as a report location ({@code file:/path}). */
public final class FileCurStorage implements CurStorage {
    private final Path root;

    public FileCurStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Parses a {@code file:} location ({@code file:/abs/path}, {@code file:relative/path} or {@code file:///abs}). */
    public static FileCurStorage of(String location) {
        if (!location.startsWith("file:")) {
            throw new IllegalArgumentException("not a file: location: " + location);
        }
        String path = location.substring("file:".length());
        if (path.startsWith("//")) {
            path = path.substring(2);
        }
        return new FileCurStorage(Path.of(path));
    }

    public Path root() {
        return root;
    }

    @Override
    public List<StoredObject> list() throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "the report location is not a readable directory");
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> {
                try {
                    return new StoredObject(root.relativize(p).toString().replace('\\', '/'), Files.size(p), Files.getLastModifiedTime(p).toInstant());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted(Comparator.comparing(StoredObject::key)).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(resolve(key));
    }

    @Override
    public Path localCopy(String key, Path staging) throws IOException {
        Path file = resolve(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return file;
    }

    @Override
    public String describe(String key) {
        return resolve(key).toString();
    }

    private Path resolve(String key) {
        Path file = root.resolve(key.startsWith("/") ? key.substring(1) : key).normalize();
        if (!file.startsWith(root)) {
            throw new IllegalArgumentException("key outside the report location: " + key);
        }
        return file;
    }
}

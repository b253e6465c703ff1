package dev.openpayer.shared;

/**
 * The object does not exist or lies outside the viewer's scope. Both answer the same (404), so that
 * an answer never reveals that an object exists in another tenant.
 */
public class NotFoundException extends RuntimeException {
    private final String objectType;

    public NotFoundException(String objectType, Object id) {
        super(objectType + " " + id + " was not found");
        this.objectType = objectType;
    }

    public String objectType() {
        return objectType;
    }
}

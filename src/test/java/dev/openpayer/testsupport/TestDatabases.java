package dev.openpayer.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Throwaway databases for tests: in-memory H2, or a fresh database on the local PostgreSQL server. */
public final class TestDatabases {
    /** The server of the PostgreSQL run; {@code -Dopenpayer.test.postgresql.host/port} move it. */
    static final String POSTGRES_HOST = System.getProperty("openpayer.test.postgresql.host", "127.0.0.1");
    static final int POSTGRES_PORT = Integer.getInteger("openpayer.test.postgresql.port", 5432);
    static final String POSTGRES_SERVER = "jdbc:postgresql://" + POSTGRES_HOST + ":" + POSTGRES_PORT + "/";
    static final String POSTGRES_USER = "postgres";

    private TestDatabases() {}

    /** A database for one application context; {@code drop} removes it once the context has closed its connections. */
    public record Database(String url, String username, String password, Runnable drop) {}

    static Database h2() {
        String name = "openpayer_" + randomSuffix();
        return new Database("jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", "",
                () -> {});
    }

    static synchronized Database postgresql() {
        String name = "openpayer_test_" + randomSuffix();
        try (Connection connection = DriverManager.getConnection(POSTGRES_SERVER + "postgres", POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the test database " + name + " on " + POSTGRES_SERVER + " as " + POSTGRES_USER
                    + " (the PostgreSQL test run needs a local server with trust authentication): " + e.getMessage(), e);
        }
        return new Database(POSTGRES_SERVER + name, POSTGRES_USER, "", () -> drop(name));
    }

    private static String randomSuffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static void drop(String name) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_SERVER + "postgres", POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("Could not drop the test database " + name + ": " + e.getMessage());
        }
    }
}

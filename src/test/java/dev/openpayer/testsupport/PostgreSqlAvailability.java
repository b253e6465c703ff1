package dev.openpayer.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (JUnit extension auto-detection). In the PostgreSQL run it skips the tests
 * when no server answers on 127.0.0.1:5432, so that the build passes on a machine without PostgreSQL;
 * with {@code OPENPAYER_TEST_POSTGRES=required} (set by CI) a missing server fails the tests instead.
 */
public class PostgreSqlAvailability implements ExecutionCondition {
    public static final String REQUIRED_VARIABLE = "OPENPAYER_TEST_POSTGRES";
    private static volatile Boolean reachable;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (!"postgresql".equals(TestDatabaseEnvironmentPostProcessor.selectedDatabase())) {
            return ConditionEvaluationResult.enabled("tests run on H2");
        }
        if (reachable()) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers on 127.0.0.1:5432");
        }
        String message = "PostgreSQL is not reachable at " + TestDatabases.POSTGRES_HOST + ":" + TestDatabases.POSTGRES_PORT;
        if ("required".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
            throw new IllegalStateException(message + " and " + REQUIRED_VARIABLE + "=required");
        }
        return ConditionEvaluationResult.disabled(message + ": skipping the PostgreSQL run (set " + REQUIRED_VARIABLE
                + "=required to make this an error)");
    }

    private static boolean reachable() {
        if (reachable == null) {
            synchronized (PostgreSqlAvailability.class) {
                if (reachable == null) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(TestDatabases.POSTGRES_HOST, TestDatabases.POSTGRES_PORT), 2000);
                        reachable = true;
                    } catch (IOException e) {
                        reachable = false;
                        if (!"required".equalsIgnoreCase(System.getenv(REQUIRED_VARIABLE))) {
                            System.err.println("WARNING: PostgreSQL is not reachable at " + TestDatabases.POSTGRES_HOST + ":"
                                    + TestDatabases.POSTGRES_PORT + " (" + e.getMessage() + "): the tests of the PostgreSQL run are skipped.");
                        }
                    }
                }
            }
        }
        return reachable;
    }
}

package dev.openpayer.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Gives every application context started by a test its own empty database, which Flyway then
 * migrates: an in-memory H2 database by default, or with {@code -Dopenpayer.test.database=postgresql}
 * a database created for the context on the local PostgreSQL server and dropped when the context closes
 * (test contexts close when the JVM exits).
 * It also points {@code openpayer.data-dir} at a fresh temporary directory.
 *
 * <p>The properties rank above system properties, environment variables and application.properties,
 * so a developer's {@code OPENPAYER_DB_URL} can never send tests to a real database; properties
 * inlined in a test ({@code @SpringBootTest(properties = ...)}) still win.
 */
public class TestDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor {
    public static final String DATABASE_PROPERTY = "openpayer.test.database";
    static final String PROPERTY_SOURCE_NAME = "openpayerTestDatabase";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            return;
        }
        TestDatabases.Database database = switch (selectedDatabase()) {
            case "h2" -> TestDatabases.h2();
            case "postgresql" -> TestDatabases.postgresql();
            default -> throw new IllegalStateException("-D" + DATABASE_PROPERTY + " must be h2 or postgresql, not " + selectedDatabase());
        };
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("openpayer.db.url", database.url());
        properties.put("spring.datasource.url", database.url());
        properties.put("spring.datasource.username", database.username());
        properties.put("spring.datasource.password", database.password());
        properties.put("spring.datasource.hikari.maximum-pool-size", "5");
        // Tests run the daily invoice drafting themselves (InvoiceSchedule.draft); the wall clock must not start it in the middle of a test.
        properties.put("openpayer.invoicing.draft-schedule", "-");
        try {
            properties.put("openpayer.data-dir", Files.createTempDirectory("openpayer-test-data").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Destroyed last: after the connection pool and every bean that still talks to the database on shutdown.
        application.addInitializers(context -> ((DefaultSingletonBeanRegistry) context.getBeanFactory())
                .registerDisposableBean("openpayerTestDatabaseDrop", database.drop()::run));
        MapPropertySource source = new MapPropertySource(PROPERTY_SOURCE_NAME, properties);
        var sources = environment.getPropertySources();
        if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            sources.addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, source);
        } else {
            sources.addFirst(source);
        }
    }

    /** {@code h2} (the default) or {@code postgresql}. */
    public static String selectedDatabase() {
        return System.getProperty(DATABASE_PROPERTY, "h2").strip().toLowerCase(Locale.ROOT);
    }
}

package dev.openpayer.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The whole application on its own throwaway database (see {@link TestDatabaseEnvironmentPostProcessor}),
 * with MockMvc and a {@link MutableClock}. Every class with exactly this annotation shares one cached
 * context, so tests create their own tenants with unique names and only move the clock forward.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(properties = {
    "openpayer.admin.email=" + OpenPayerTest.ADMIN_EMAIL,
    "openpayer.admin.password=" + OpenPayerTest.ADMIN_PASSWORD,
    "openpayer.distributor-name=" + OpenPayerTest.DISTRIBUTOR_NAME,
    "openpayer.base-url=https://openpayer.test",
    "openpayer.sandbox.invitations-per-day=100000"
})
@AutoConfigureMockMvc
@Import(TestClockConfiguration.class)
public @interface OpenPayerTest {
    String ADMIN_EMAIL = "admin@distributor.test";
    String ADMIN_PASSWORD = "distributor-admin-password";
    String DISTRIBUTOR_NAME = "Test Distributor";
}

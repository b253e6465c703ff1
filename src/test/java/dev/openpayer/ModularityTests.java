package dev.openpayer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The application modules keep their boundaries; their documentation is written to target/spring-modulith-docs. */
class ModularityTests {
    static final ApplicationModules MODULES = ApplicationModules.of(OpenPayerApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        MODULES.verify();
    }

    @Test
    void theFoundationModulesAreDetected() {
        assertThat(MODULES.stream().map(m -> m.getIdentifier().toString()))
                .contains("shared", "tenancy", "audit", "notify", "web")
                .doesNotContain("testsupport", "browser");
    }

    @Test
    void writesTheModuleDocumentation() throws Exception {
        new Documenter(MODULES).writeDocumentation();
        try (var files = Files.list(Path.of("target", "spring-modulith-docs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("components.puml", "module-tenancy.puml");
        }
    }
}

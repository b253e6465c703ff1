package dev.openpayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.jayway.jsonpath.JsonPath;
import dev.openpayer.testsupport.ApiTestSupport;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Health, metrics and the OpenAPI document, all readable without signing in. */
class OperationsTest extends ApiTestSupport {
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlerMapping;

    @Test
    void healthIsUpWithTheDatabase() throws Exception {
        MvcResult health = mvc.perform(get("/actuator/health")).andReturn();
        assertThat(health.getResponse().getStatus()).isEqualTo(200);
        assertThat((String) read(health, "$.status")).isEqualTo("UP");
        assertThat((String) read(health, "$.components.db.status")).isEqualTo("UP");
        assertThat(health.getResponse().getContentAsString()).doesNotContain("\"mail\"");
    }

    @Test
    void prometheusServesMetrics() throws Exception {
        mvc.perform(get("/actuator/health")).andReturn();
        MvcResult metrics = mvc.perform(get("/actuator/prometheus")).andReturn();
        assertThat(metrics.getResponse().getStatus()).isEqualTo(200);
        assertThat(metrics.getResponse().getContentType()).startsWith("text/plain");
        assertThat(metrics.getResponse().getContentAsString()).contains("# TYPE jvm_memory_used_bytes gauge", "hikaricp_connections");
    }

    @Test
    void theOpenApiDocumentListsEveryApiOperation() throws Exception {
        MvcResult doc = mvc.perform(get("/v3/api-docs")).andReturn();
        assertThat(doc.getResponse().getStatus()).isEqualTo(200);
        Map<String, Map<String, Object>> paths = JsonPath.read(doc.getResponse().getContentAsString(), "$.paths");
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().forEach(m -> documented.add(m.toUpperCase() + " " + path)));
        Set<String> implemented = new TreeSet<>();
        handlerMapping.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream().filter(p -> p.startsWith("/api/v1"))
                .forEach(p -> info.getMethodsCondition().getMethods().forEach(m -> implemented.add(m.name() + " " + p))));
        assertThat(implemented).isNotEmpty();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(implemented);
    }
}

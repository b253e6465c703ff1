package dev.openpayer.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openpayer.tenancy.Organization;
import dev.openpayer.tenancy.OrganizationType;
import dev.openpayer.tenancy.Role;
import dev.openpayer.tenancy.Tenancy;
import dev.openpayer.tenancy.UserAccounts;
import dev.openpayer.tenancy.Viewer;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.openpayer.testsupport.OpenPayerTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Price books, contracts and cost centers through the API: rules, validation, scope. */
@OpenPayerTest
class BillingApiTests {
    private static final String PASSWORD = "correct horse battery";

    @Autowired MockMvc mvc;
    @Autowired Tenancy tenancy;
    @Autowired UserAccounts users;
    @Autowired JdbcClient jdbc;
    @Autowired JsonMapper json;

    Organization top;
    Organization reseller;
    Organization sibling;
    Organization customer;
    String resellerAdmin;
    String resellerBilling;
    String resellerAnalyst;
    String customerAdmin;
    String siblingAdmin;
    String topAdmin;

    @BeforeEach
    void tree() {
        Viewer system = tenancy.system();
        String run = UUID.randomUUID().toString().substring(0, 8);
        top = tenancy.find(system.organizationId()).orElseThrow();
        reseller = tenancy.create(system, OrganizationType.RESELLER, "Reseller " + run, top.id());
        sibling = tenancy.create(system, OrganizationType.RESELLER, "Sibling " + run, top.id());
        customer = tenancy.create(system, OrganizationType.CUSTOMER, "Customer " + run, reseller.id());
        topAdmin = user(top, "top", Role.ADMIN, run);
        resellerAdmin = user(reseller, "radmin", Role.ADMIN, run);
        resellerBilling = user(reseller, "rbilling", Role.BILLING_MANAGER, run);
        resellerAnalyst = user(reseller, "ranalyst", Role.ANALYST, run);
        customerAdmin = user(customer, "cadmin", Role.ADMIN, run);
        siblingAdmin = user(sibling, "sadmin", Role.ADMIN, run);
    }

    private String user(Organization organization, String name, Role role, String run) {
        return users.createActive(organization.id(), name + "-" + run + "@example.com", name, role, PASSWORD).email();
    }

    private ResultActions call(String email, MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(httpBasic(email, PASSWORD)).contentType(MediaType.APPLICATION_JSON));
    }

    private JsonNode body(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }

    private String priceBook(String email, Organization owner, String name) throws Exception {
        return body(call(email, post("/api/v1/price-books").content("""
                {"ownerId":"%s","name":"%s","currency":"eur","description":"list price plus 5 %%"}""".formatted(owner.id(), name)))
                .andExpect(status().isCreated()))
                .get("id").asString();
    }

    private long contractsOf(Organization organization) {
        return jdbc.sql("select count(*) from contracts where customer_id = ?").param(organization.id()).query(Long.class).single();
    }

    @Test
    void priceBooksBelongToSellersAndValidateEveryField() throws Exception {
        String id = priceBook(resellerBilling, reseller, "Standard");
        call(resellerAnalyst, get("/api/v1/price-books/" + id)).andExpect(status().isOk()).andExpect(jsonPath("$.currency").value("EUR"));

        call(resellerAdmin, post("/api/v1/price-books").content("{\"ownerId\":\"%s\",\"name\":\"X\",\"currency\":\"EUR\"}".formatted(customer.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("ownerId"));
        call(resellerAdmin, post("/api/v1/price-books").content("{\"ownerId\":\"%s\",\"name\":\" \",\"currency\":\"EURO\"}".formatted(reseller.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.containsInAnyOrder("name", "currency")));
        call(resellerAdmin, post("/api/v1/price-books").content("{\"ownerId\":\"%s\",\"name\":\"standard\",\"currency\":\"EUR\"}".formatted(reseller.id())))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        call(resellerAnalyst, post("/api/v1/price-books").content("{\"ownerId\":\"%s\",\"name\":\"Other\",\"currency\":\"EUR\"}".formatted(reseller.id())))
                .andExpect(status().isForbidden());
        call(siblingAdmin, get("/api/v1/price-books/" + id)).andExpect(status().isNotFound());
        call(siblingAdmin, put("/api/v1/price-books/" + id).content("{\"name\":\"Stolen\",\"currency\":\"EUR\"}")).andExpect(status().isNotFound());
        call(siblingAdmin, post("/api/v1/price-books").content("{\"ownerId\":\"%s\",\"name\":\"Sneaky\",\"currency\":\"EUR\"}".formatted(reseller.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("ownerId"));
        assertThat(jdbc.sql("select count(*) from price_books where owner_id = ?").param(reseller.id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void contractsBindASellerToAnOrganisationDirectlyBelowIt() throws Exception {
        String book = priceBook(resellerAdmin, reseller, "Retail");
        String topBook = priceBook(topAdmin, top, "Wholesale");

        call(topAdmin, post("/api/v1/contracts").content("""
                {"sellerId":"%s","customerId":"%s","startDate":"2026-01-01","status":"ACTIVE"}""".formatted(top.id(), customer.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("customerId"));
        call(resellerAdmin, post("/api/v1/contracts").content("""
                {"sellerId":"%s","customerId":"%s","priceBookId":"%s","startDate":"2026-01-01"}""".formatted(reseller.id(), customer.id(), topBook)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("priceBookId"));
        call(resellerAdmin, post("/api/v1/contracts").content("""
                {"sellerId":"%s","customerId":"%s","startDate":"2026-03-01","endDate":"2026-02-01"}""".formatted(reseller.id(), customer.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("endDate"));
        call(resellerAdmin, post("/api/v1/contracts").content("""
                {"sellerId":"%s","customerId":"%s","startDate":"not a date"}""".formatted(reseller.id(), customer.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("startDate"));
        assertThat(contractsOf(customer)).isZero();

        call(customerAdmin, get("/api/v1/contracts/check?customerId=" + customer.id()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.allowed").value(false));

        String id = body(call(resellerBilling, post("/api/v1/contracts").content("""
                {"sellerId":"%s","customerId":"%s","priceBookId":"%s","startDate":"2026-01-01","status":"ACTIVE"}"""
                .formatted(reseller.id(), customer.id(), book))).andExpect(status().isCreated())).get("id").asString();

        call(customerAdmin, get("/api/v1/contracts/check?customerId=" + customer.id()))
                .andExpect(jsonPath("$.allowed").value(true))
                .andExpect(jsonPath("$.contractId").value(id));
        call(customerAdmin, get("/api/v1/contracts/" + id)).andExpect(status().isOk());
        call(customerAdmin, put("/api/v1/contracts/" + id).content("{\"startDate\":\"2026-01-01\",\"status\":\"ENDED\"}"))
                .andExpect(status().isForbidden());
        call(siblingAdmin, get("/api/v1/contracts/" + id)).andExpect(status().isNotFound());
        call(siblingAdmin, get("/api/v1/contracts/check?customerId=" + customer.id())).andExpect(status().isNotFound());

        call(resellerAdmin, post("/api/v1/contracts").content("""
                {"sellerId":"%s","customerId":"%s","startDate":"2026-06-01","status":"ACTIVE"}""".formatted(reseller.id(), customer.id())))
                .andExpect(status().isConflict());
        assertThat(contractsOf(customer)).isEqualTo(1);

        call(resellerAdmin, delete("/api/v1/price-books/" + book)).andExpect(status().isConflict());

        call(resellerAdmin, put("/api/v1/contracts/" + id).content("{\"priceBookId\":\"%s\",\"startDate\":\"2026-01-01\",\"status\":\"ENDED\"}"
                        .formatted(book)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ENDED"))
                .andExpect(jsonPath("$.endDate").isNotEmpty());
        call(resellerAdmin, put("/api/v1/contracts/" + id).content("{\"startDate\":\"2026-01-01\",\"status\":\"ACTIVE\"}"))
                .andExpect(status().isConflict());
        call(customerAdmin, get("/api/v1/contracts/check?customerId=" + customer.id())).andExpect(jsonPath("$.allowed").value(false));

        assertThat(jdbc.sql("select count(*) from audit_events where object_id = ? and action = 'contract.updated'").param(id).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void costCentersBelongToCustomers() throws Exception {
        String id = body(call(resellerBilling, post("/api/v1/cost-centers").content("""
                {"customerId":"%s","name":"Data platform","code":"DATA-01"}""".formatted(customer.id()))).andExpect(status().isCreated()))
                .get("id").asString();
        call(resellerAdmin, post("/api/v1/cost-centers").content("{\"customerId\":\"%s\",\"name\":\"X\",\"code\":\"X\"}".formatted(reseller.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("customerId"));
        call(resellerAdmin, post("/api/v1/cost-centers").content("{\"customerId\":\"%s\",\"name\":\"X\",\"code\":\"no spaces\"}".formatted(customer.id())))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("code"));
        call(resellerAdmin, post("/api/v1/cost-centers").content("{\"customerId\":\"%s\",\"name\":\"Again\",\"code\":\"data-01\"}".formatted(customer.id())))
                .andExpect(status().isConflict());
        call(resellerAnalyst, delete("/api/v1/cost-centers/" + id)).andExpect(status().isForbidden());
        call(siblingAdmin, delete("/api/v1/cost-centers/" + id)).andExpect(status().isNotFound());
        call(customerAdmin, get("/api/v1/cost-centers?customerId=" + customer.id()))
                .andExpect(jsonPath("$[0].code").value("DATA-01"));
        call(resellerAdmin, delete("/api/v1/cost-centers/" + id)).andExpect(status().isNoContent());
        call(resellerAdmin, get("/api/v1/cost-centers/" + id)).andExpect(status().isNotFound());
    }
}
